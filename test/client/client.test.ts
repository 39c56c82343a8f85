/** The typed client against the real API: start, run, get, list (and follow its changes), cancel, wait, errors. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { ApiError, DurableAgentsClient } from '../../src/client/client.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil } from '../support/wait.ts';

let h: ApiHarness;
let client: DurableAgentsClient;
const WF = 'content-creation-workflow';

before(async () => {
  h = await startApiHarness([contentCreationWorkflow]);
  h.openai.setHandler(contentCreationReply);
  client = new DurableAgentsClient({ baseUrl: h.api.url });
});
after(async () => h?.close());

it('starts, waits, gets and lists runs', async () => {
  assert.deepEqual((await client.listWorkflows()).map((w) => w.id), [WF]);
  const started = await client.startRun(WF, { message: 'AI trends in 2024', sessionId: 'client-session', idempotencyKey: 'client-1' });
  assert.equal(started.status, 'PENDING');
  const done = await client.waitUntilDone(WF, started.run_id, { pollMs: 100 });
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.content, CONTENT_PLAN);
  assert.equal((await client.startRun(WF, { message: 'AI trends in 2024', sessionId: 'client-session', idempotencyKey: 'client-1' })).run_id, started.run_id);
  const waited = await client.run(WF, { message: 'AI trends in 2024', sessionId: 'client-session' });
  assert.equal(waited.status, 'COMPLETED');
  const listed = await waitUntil('both runs of the session in the list', async () => {
    const ids = (await client.listRuns({ sessionId: 'client-session', status: 'COMPLETED' })).map((r) => r.run_id);
    return ids.length >= 2 && ids;
  });
  assert.deepEqual(listed.sort(), [started.run_id, waited.run_id].sort());
});

it('follows the run list’s changes: ready, then changed when a run starts', async () => {
  const stop = new AbortController();
  const changes = client.runListChanges({ signal: stop.signal });
  try {
    assert.equal((await changes.next()).value, 'ready');
    const started = await client.startRun(WF, { message: 'AI trends in 2024' });
    assert.equal((await changes.next()).value, 'changed');
    await client.waitUntilDone(WF, started.run_id, { pollMs: 100 });
  } finally {
    stop.abort();
    await changes.return(undefined).catch(() => undefined);
  }
});

it('cancels, and reports API errors with status and detail', async () => {
  h.openai.setHandler(() => ({ kind: 'hang' }));
  const started = await client.startRun(WF, { message: 'never answered' });
  await client.cancelRun(WF, started.run_id);
  assert.equal((await client.waitUntilDone(WF, started.run_id, { pollMs: 100 })).status, 'CANCELLED');
  await assert.rejects(client.getRun(WF, 'missing'), (err: unknown) => err instanceof ApiError && err.status === 404 && err.detail === 'Run not found.');
  await assert.rejects(client.cancelRun(WF, started.run_id), (err: unknown) => err instanceof ApiError && err.status === 409);
  const secured = new DurableAgentsClient({ baseUrl: (await h.serve({ authenticate: () => undefined })).url, apiKey: 'nope' });
  await assert.rejects(secured.listWorkflows(), (err: unknown) => err instanceof ApiError && err.status === 401);
});
