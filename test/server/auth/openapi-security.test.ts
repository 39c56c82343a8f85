/**
 * The OpenAPI document's security section as auth is configured: behind JWTs each operation names
 * the scopes its route requires (the same table that enforces them) and documents its 403.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../../src/server/app.ts';
import { authFromEnv } from '../../../src/server/http/auth.ts';
import { HS_SECRET } from '../../support/tokens.ts';

type Operation = { security?: Record<string, string[]>[]; responses: Record<string, unknown> };
interface Document {
  security?: unknown;
  components: { securitySchemes?: Record<string, { scheme: string; bearerFormat?: string }> };
  paths: Record<string, Record<string, Operation>>;
}

async function documentOf(env: NodeJS.ProcessEnv): Promise<Document> {
  // Only the document is read: the app needs no engine nor blob store for it.
  const { app, close } = createApp({ engine: {} as never, workflows: [], blobs: {} as never, authenticate: authFromEnv(env) });
  try {
    return (await (await app.request('/openapi.json')).json()) as Document;
  } finally {
    close();
  }
}

describe('OpenAPI security', () => {
  it('names each operation’s scopes and its 403 behind JWTs; public routes stay public', async () => {
    const doc = await documentOf({ JWT_VERIFICATION_KEY: HS_SECRET, JWT_ALGORITHMS: 'HS256' });
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    assert.equal(doc.components.securitySchemes?.bearer?.bearerFormat, 'JWT');
    const op = (path: string, method: string) => doc.paths[path]![method]!;
    assert.deepEqual(op('/workflows/{workflow_id}/runs', 'post').security, [{ bearer: ['workflows:run'] }]);
    assert.deepEqual(op('/sessions/{session_id}', 'delete').security, [{ bearer: ['sessions:delete'] }]);
    assert.deepEqual(op('/schedules', 'post').security, [{ bearer: ['schedules:write'] }]);
    assert.deepEqual(op('/approvals/{approval_id}/resolve', 'post').security, [{ bearer: ['approvals:write'] }]);
    assert.ok(op('/config', 'get').responses['403'] && op('/config', 'get').responses['401']);
    for (const path of ['/health', '/health/ready', '/openapi.json', '/docs']) {
      assert.deepEqual(op(path, 'get').security, [], path);
      assert.equal(op(path, 'get').responses['403'], undefined, path);
    }
  });

  it('names no scopes for static keys, which every route accepts', async () => {
    const doc = await documentOf({ OS_SECURITY_KEY: 'key' });
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    assert.equal(doc.paths['/workflows/{workflow_id}/runs']!.post!.security, undefined);
    assert.equal(doc.paths['/config']!.get!.responses['403'], undefined);
  });
});
