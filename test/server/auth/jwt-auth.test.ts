/**
 * JWT authentication and AgentOS's scopes over real HTTP, with tokens signed in the test: 401 for
 * a token missing, expired, not yet valid, signed by another key, for another audience or issuer;
 * 403 naming the missing scope; the admin scope; another user's runs and sessions answered as
 * missing, nothing of them leaked; static keys refused alongside JWTs unless allowed; service
 * accounts; and the WebSocket with a token.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { newServiceAccountToken } from '../../../src/server/auth/service-accounts.ts';
import { authFromEnv } from '../../../src/server/http/auth.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postForm } from '../../support/http.ts';
import { SocketClient } from '../../support/socket-client.ts';
import { HS_SECRET, hs256, signJwt } from '../../support/tokens.ts';
import { bearer } from '../../support/user-keys.ts';
import { waitUntil } from '../../support/wait.ts';

const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
const other = new Workflow({ name: 'Other', steps: [new Step({ name: 'Say', executor: () => 'other' })] });
/** Served on its own: the socket's agent actions need the agent routes' scopes. */
const helper = new Agent({ name: 'Helper', model: new OpenAIResponses({ id: 'gpt-5.2' }) });

const AUDIENCE = 'durable-agents';
const ISSUER = 'https://idp.test';
const STATIC_KEY = 'static-admin-key';
const READ_RUN = ['workflows:read', 'workflows:run', 'sessions:read'];
const token = (claims: Record<string, unknown>) => signJwt({ aud: AUDIENCE, iss: ISSUER, ...claims }, hs256);
const as = (claims: Record<string, unknown>) => bearer(token(claims));
const alice = as({ sub: 'alice', scopes: READ_RUN });
const bob = as({ sub: 'bob', scopes: READ_RUN });
const root = as({ sub: 'root', scopes: ['agent_os:admin'] });

const dir = mkdtempSync(join(tmpdir(), 'jwt-auth-'));
const ci = newServiceAccountToken();
const expiredAccount = newServiceAccountToken();
const accountsFile = join(dir, 'service-accounts.json');
writeFileSync(
  accountsFile,
  JSON.stringify({
    accounts: [
      { name: 'ci', token_sha256: ci.sha256, scopes: ['workflows:run', 'workflows:read'] },
      { name: 'old', token_sha256: expiredAccount.sha256, scopes: ['workflows:read'], expires_at: '2020-01-01T00:00:00Z' },
    ],
  }),
);
const jwtEnv = { JWT_VERIFICATION_KEY: HS_SECRET, JWT_ALGORITHMS: 'HS256', JWT_AUDIENCE: AUDIENCE, JWT_ISSUER: ISSUER, OS_SECURITY_KEY: STATIC_KEY, OS_SERVICE_ACCOUNTS_FILE: accountsFile };

let h: ApiHarness;
let api: ApiServer;
before(async () => {
  h = await startApiHarness([echo, other], { runnables: servedRunnables({ agents: [helper] }) });
  api = await h.serve({ authenticate: authFromEnv(jwtEnv) });
});
after(async () => h?.close());

const url = (path: string, server = api) => `${server.url}${path}`;
async function answer(path: string, headers: Record<string, string>, init: RequestInit = {}): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url(path), { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body, text };
}
async function startRun(headers: Record<string, string>, fields: Record<string, string> = {}) {
  const response = await postForm(url('/workflows/echo/runs'), { message: 'hi', stream: 'false', ...fields }, headers);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const now = () => Math.floor(Date.now() / 1000);

describe('JWT: who may call', () => {
  it('answers 401 with AgentOS’s detail for a token missing, expired, not yet valid, wrongly signed, for another audience or issuer', async () => {
    assert.equal((await answer('/health', {})).status, 200, 'the health check stays public');
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authorization header missing'],
      [as({ sub: 'alice', scopes: READ_RUN, exp: now() - 60 }), 'Token has expired'],
      [as({ sub: 'alice', scopes: READ_RUN, nbf: now() + 600 }), 'Invalid token: The token is not yet valid (nbf)'],
      [bearer(signJwt({ sub: 'alice', aud: AUDIENCE, iss: ISSUER }, { alg: 'HS256', key: 'not-the-servers-secret-not-the-servers' })), 'Invalid token: Signature verification failed'],
      [as({ sub: 'alice', scopes: READ_RUN, aud: 'another-service' }), 'Invalid token audience - token not valid for this AgentOS instance'],
      [as({ sub: 'alice', scopes: READ_RUN, iss: 'https://other-idp.test' }), 'Invalid token: Invalid issuer'],
      [as({ sub: 'sa:ci', scopes: READ_RUN }), 'Invalid token subject'],
      [as({ scopes: READ_RUN }), 'Invalid token: Token is missing the "sub" claim'],
      [bearer(STATIC_KEY), 'Invalid token: Not enough segments'],
    ];
    for (const [headers, detail] of cases) {
      const { status, body } = await answer('/workflows', headers);
      assert.deepEqual({ status, body }, { status: 401, body: { detail } }, detail);
    }
  });

  it('answers 403 naming the scope a token lacks, before looking anything up, and starts nothing', async () => {
    const reader = as({ sub: 'carol', scopes: ['workflows:read'] });
    assert.equal((await answer('/workflows', reader)).status, 200);
    const start = await startRun(reader);
    assert.deepEqual(start, { status: 403, body: { detail: 'Insufficient permissions. Required scope(s): workflows:run' } });
    assert.deepEqual((await answer('/sessions', reader)).body, { detail: 'Insufficient permissions. Required scope(s): sessions:read' });
    assert.equal((await answer('/workflows/no-such-workflow/runs/x/cancel', reader, { method: 'POST' })).status, 403, 'a 403 before the 404');
    assert.deepEqual((await answer('/schedules', reader)).body, { detail: 'Insufficient permissions. Required scope(s): schedules:read' });
    assert.deepEqual((await answer('/config', reader)).body, { detail: 'Insufficient permissions. Required scope(s): config:read' });
    const decode = { method: 'POST', body: JSON.stringify({ payloads: [] }), headers: { 'content-type': 'application/json' } };
    assert.deepEqual((await answer('/codec/decode', alice, decode)).body, { detail: 'Insufficient permissions. Required scope(s): agent_os:admin' }, 'every user’s payloads: an admin’s');
    assert.equal((await answer('/codec/decode', root, decode)).status, 200);
    const runs = (await answer('/runs', root)).body as { user_id?: string }[];
    assert.ok(!runs.some((run) => run.user_id === 'carol'), 'nothing started');
  });

  it('honours per-workflow scopes: that workflow only, and a list of workflows filtered to it', async () => {
    const echoOnly = as({ sub: 'dave', scopes: ['workflows:echo:run', 'workflows:echo:read'] });
    assert.equal((await startRun(echoOnly)).status, 200);
    assert.equal((await answer('/workflows/other', echoOnly)).status, 403);
    assert.equal((await postForm(url('/workflows/other/runs'), { message: 'x', stream: 'false' }, echoOnly)).status, 403);
    const listed = (await answer('/workflows', echoOnly)).body as { id: string }[];
    assert.deepEqual(listed.map((workflow) => workflow.id), ['echo']);
    assert.deepEqual((await answer('/workflows', as({ sub: 'erin', scopes: [] }))).body, [], 'no workflow scope: an empty list, as AgentOS');
    const any = as({ sub: 'frank', scopes: ['workflows:*:read'] });
    assert.equal(((await answer('/workflows', any)).body as unknown[]).length, 2);
  });

  it('keeps each token’s user to their own runs and sessions; the admin scope sees them all', async () => {
    const started = await startRun(alice, { session_id: 'alice-session' });
    assert.equal(started.status, 200);
    assert.equal(started.body.user_id, 'alice', 'the run belongs to the token’s sub');
    const runId = String(started.body.run_id);
    assert.equal((await answer(`/workflows/echo/runs/${runId}`, alice)).status, 200);
    assert.equal((await answer(`/workflows/echo/runs/${runId}`, root)).status, 200, 'the admin scope sees every run');

    const probes = [
      await answer(`/workflows/echo/runs/${runId}`, bob),
      await answer(`/workflows/echo/runs/${runId}/events`, bob),
      await answer(`/workflows/echo/runs/${runId}/cancel?strict=true`, bob, { method: 'POST' }),
      await answer('/sessions/alice-session', bob),
      await answer('/sessions/alice-session/runs', bob),
    ];
    for (const probe of probes) {
      assert.equal(probe.status, 404, probe.text);
      assert.ok(!probe.text.includes(runId) && !probe.text.includes('"alice"'), `nothing of Alice’s run leaks: ${probe.text}`);
    }
    const impersonate = await startRun(bob, { user_id: 'alice' });
    assert.equal(impersonate.status, 403);
    await waitUntil("alice's run in /runs", async () => ((await answer('/runs', alice)).body as { run_id: string }[]).some((run) => run.run_id === runId));
    for (const path of ['/runs', '/runs?user_id=alice', '/sessions', '/workflows/echo/runs', '/workflows/echo/runs?user_id=alice']) {
      const seen = await answer(path, bob);
      assert.equal(seen.status, 200, path);
      assert.ok(!seen.text.includes(runId) && !seen.text.includes('alice-session'), `${path} shows Bob nothing of Alice’s: ${seen.text}`);
    }
    const sessions = (await answer('/sessions', root)).text;
    assert.ok(sessions.includes('alice-session'), 'the admin sees every session');
  });

  it('runs an admin’s runs as the admin’s own unless it names a user', async () => {
    assert.equal((await startRun(root)).body.user_id, 'root');
    assert.equal((await startRun(root, { user_id: 'alice' })).body.user_id, 'alice');
  });
});

describe('static keys beside JWTs', () => {
  it('are refused unless OS_ALLOW_STATIC_KEYS_WITH_JWT is true; then both work', async () => {
    const both = await h.serve({ authenticate: authFromEnv({ ...jwtEnv, OS_ALLOW_STATIC_KEYS_WITH_JWT: 'true' }) });
    assert.equal((await fetch(`${both.url}/workflows`, { headers: bearer(STATIC_KEY) })).status, 200);
    assert.equal((await fetch(`${both.url}/workflows`, { headers: alice })).status, 200);
    assert.equal((await fetch(`${api.url}/workflows`, { headers: bearer(STATIC_KEY) })).status, 401);
  });
});

describe('service accounts', () => {
  it('authenticate with their token, hold their scopes only, and own the runs they start', async () => {
    const started = await startRun(bearer(ci.token));
    assert.equal(started.status, 200);
    assert.equal(started.body.user_id, 'sa:ci');
    assert.deepEqual((await answer('/sessions', bearer(ci.token))).body, { detail: 'Insufficient permissions. Required scope(s): sessions:read' });
    assert.equal((await answer(`/workflows/echo/runs/${String(started.body.run_id)}`, bob)).status, 404);
    assert.deepEqual((await answer('/workflows', bearer(expiredAccount.token))).body, { detail: 'Invalid or expired service account token' });
    assert.deepEqual((await answer('/workflows', bearer(`${ci.token}x`))).body, { detail: 'Invalid or expired service account token' });
  });
});

describe('the WebSocket with a token', () => {
  it('authenticates by header or by message, refuses a bad token with its reason, and holds actions to the token’s scopes', async () => {
    const byHeader = await SocketClient.open(api.url, alice);
    try {
      assert.deepEqual(await byHeader.next('connected'), { event: 'connected', message: 'Connected to AgentOS.', requires_auth: false });
      byHeader.send({ action: 'start-workflow', workflow_id: 'echo', message: 'over the socket' });
      assert.equal((await byHeader.next('queued')).event, 'queued');
    } finally {
      byHeader.close();
    }
    await assert.rejects(SocketClient.open(api.url, as({ sub: 'alice', exp: now() - 60 })), /HTTP 401/);

    const socket = await SocketClient.open(api.url);
    try {
      await socket.next('connected');
      assert.deepEqual(await socket.ask({ action: 'ping' }), { event: 'auth_required', error: 'Authentication required. Send authenticate action with valid JWT.' });
      assert.deepEqual(await socket.ask({ action: 'authenticate', token: token({ sub: 'alice', exp: now() - 60 }) }), { event: 'auth_error', error: 'Token has expired', error_type: 'expired' });
      assert.deepEqual(await socket.ask({ action: 'authenticate', token: STATIC_KEY }), { event: 'auth_error', error: 'Invalid token: Not enough segments', error_type: 'invalid_token' });
      assert.deepEqual(await socket.ask({ action: 'authenticate', token: token({ sub: 'carol', scopes: ['workflows:read'] }) }), {
        event: 'authenticated',
        message: 'Authentication successful. You can now send commands.',
        user_id: 'carol',
      });
      assert.deepEqual(await socket.ask({ action: 'start-workflow', workflow_id: 'echo', message: 'x' }), { event: 'error', error: 'Insufficient permissions to run this workflow' });
      assert.deepEqual(await socket.ask({ action: 'continue-workflow', workflow_id: 'echo', run_id: 'x', step_requirements: [] }), { event: 'error', error: 'Insufficient permissions to continue this workflow' });
      assert.deepEqual(await socket.ask({ action: 'reconnect', run_id: 'x' }), { event: 'error', error: 'Run x not found' }, 'reading needs workflows:read only');

      assert.equal((await socket.ask({ action: 'authenticate', token: token({ sub: 'dave', scopes: ['workflows:echo:read'] }) })).event, 'authenticated');
      assert.deepEqual(await socket.ask({ action: 'reconnect', run_id: 'x' }), { event: 'error', error: 'Insufficient permissions to reconnect to this workflow' }, 'no workflow named: a per-workflow scope is not enough');
      assert.deepEqual(await socket.ask({ action: 'reconnect', run_id: 'x', workflow_id: 'echo' }), { event: 'error', error: 'Run x not found' });
      assert.deepEqual(await socket.ask({ action: 'reconnect', run_id: 'x', workflow_id: 'other' }), { event: 'error', error: 'Insufficient permissions to reconnect to this workflow' });

      // An agent's actions need its HTTP routes' scopes: agents:run to start, cancel and resume its runs.
      assert.equal((await socket.ask({ action: 'authenticate', token: token({ sub: 'erin', scopes: ['agents:read', 'workflows:read'] }) })).event, 'authenticated');
      assert.deepEqual(await socket.ask({ action: 'start-agent', agent_id: 'helper', message: 'x' }), { event: 'error', error: 'Insufficient permissions to run this agent' });
      assert.deepEqual(await socket.ask({ action: 'cancel-agent', agent_id: 'helper', run_id: 'x' }), { event: 'error', error: 'Insufficient permissions to cancel runs of this agent' });
      assert.deepEqual(await socket.ask({ action: 'reconnect', agent_id: 'helper', run_id: 'x' }), { event: 'error', error: 'Insufficient permissions to reconnect to this agent' });
      assert.equal((await socket.ask({ action: 'authenticate', token: token({ sub: 'frank', scopes: ['agents:helper:run'] }) })).event, 'authenticated');
      assert.deepEqual(await socket.ask({ action: 'reconnect', agent_id: 'helper', run_id: 'x' }), { event: 'error', error: 'Run x not found' });
      assert.deepEqual(await socket.ask({ action: 'start-team', team_id: 'helper', message: 'x' }), { event: 'error', error: 'Insufficient permissions to run this team' });
    } finally {
      socket.close();
    }
  });
});
