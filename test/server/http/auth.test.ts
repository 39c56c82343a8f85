/**
 * Bearer auth and per-user isolation over real HTTP: with keys configured every route but
 * /health needs a key, and a key bound to a user sees and acts on that user's runs only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../../src/app/content-creation.ts';
import { authFromEnv, parseUserKeys } from '../../../src/server/http/auth.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { contentCreationReply } from '../../support/content-creation-script.ts';
import { postForm } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { ADMIN, ALICE, BOB, bearer, userKeysAuth } from '../../support/user-keys.ts';

let h: ApiHarness;
let secured: ApiServer;

before(async () => {
  h = await startApiHarness([contentCreationWorkflow]);
  h.openai.setHandler(contentCreationReply);
  secured = await h.serve({ authenticate: userKeysAuth() });
});
after(async () => h?.close());

const runs = () => `${secured.url}/workflows/content-creation-workflow/runs`;

describe('auth off', () => {
  it('serves every route without a key', async () => {
    assert.equal((await fetch(`${h.api.url}/workflows`)).status, 200);
  });
});

describe('auth on', () => {
  it('needs a valid bearer key on every route but /health', async () => {
    assert.equal((await fetch(`${secured.url}/health`)).status, 200);
    for (const path of ['/config', '/workflows', '/runs', '/workflows/content-creation-workflow/runs/x']) {
      const none = await fetch(`${secured.url}${path}`);
      assert.equal(none.status, 401, path);
      assert.deepEqual(await none.json(), { detail: 'Authorization header required' });
      assert.equal((await fetch(`${secured.url}${path}`, { headers: bearer('wrong') })).status, 401, path);
    }
    assert.equal((await fetch(`${secured.url}/workflows`, { headers: bearer(ADMIN) })).status, 200);
    const unauthorized = await postForm(runs(), { message: 'x', stream: 'false', background: 'true' });
    assert.equal(unauthorized.status, 401, 'starts nothing without a key');
  });

  it('keeps each user to their own runs', async () => {
    const start = await postForm(runs(), { message: 'AI trends in 2024', stream: 'false' }, bearer(ALICE));
    assert.equal(start.status, 200);
    const run = (await start.json()) as { run_id: string; user_id: string; status: string };
    assert.equal(run.user_id, 'alice', 'the run belongs to the key’s user');
    assert.equal(run.status, 'COMPLETED');
    const url = `${runs()}/${run.run_id}`;
    assert.equal((await fetch(url, { headers: bearer(ALICE) })).status, 200);
    assert.equal((await fetch(url, { headers: bearer(ADMIN) })).status, 200, 'the admin key sees every run');
    assert.equal((await fetch(url, { headers: bearer(BOB) })).status, 404, 'another user cannot see it');
    assert.equal((await fetch(`${url}/events`, { headers: bearer(BOB) })).status, 404);
    assert.equal((await fetch(`${url}/cancel`, { method: 'POST', headers: bearer(BOB) })).status, 404, 'nor cancel it');
    const impersonate = await postForm(runs(), { message: 'x', user_id: 'alice', stream: 'false', background: 'true' }, bearer(BOB));
    assert.equal(impersonate.status, 403);
    const alices = await waitUntil("alice's run in /runs", async () => {
      const runs = (await (await fetch(`${secured.url}/runs`, { headers: bearer(ALICE) })).json()) as { run_id: string }[];
      return runs.length > 0 && runs;
    });
    assert.deepEqual(alices.map((r) => r.run_id), [run.run_id]);
    const bobs = (await (await fetch(`${secured.url}/runs?user_id=alice`, { headers: bearer(BOB) })).json()) as unknown[];
    assert.deepEqual(bobs, [], 'a user filter cannot widen a user key’s view');
  });

  it('rejects malformed key lists', () => {
    assert.throws(() => parseUserKeys('alice'), /user:key/);
    assert.equal(authFromEnv({}), undefined);
  });
});
