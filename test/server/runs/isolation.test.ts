/**
 * Per-user isolation (`OS_USER_KEYS`) on the routes that list, resume, continue and retry runs:
 * another user's run answers 404 exactly like a missing one, and nothing about it changes. And
 * `Idempotency-Key` scoped per user and per workflow.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { EVENTS_PAGE_LIMIT, eventsQuery } from '../../../src/contracts/run-workflow-api.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postForm, postJson, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { ADMIN, ALICE, BOB, bearer, userKeysAuth } from '../../support/user-keys.ts';

const calls = { publish: 0, broken: 0 };
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
const echoAgain = new Workflow({ name: 'Echo Again', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `again: ${input.input}` })] });
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({
      name: 'Publish',
      requiresConfirmation: true,
      executor: () => {
        calls.publish += 1;
        return 'published';
      },
    }),
  ],
});
const broken = new Workflow({
  name: 'Broken',
  steps: [
    new Step({
      name: 'Send',
      executor: () => {
        calls.broken += 1;
        return { content: '', success: false, error: 'the mail service is down' };
      },
    }),
  ],
});

let h: ApiHarness;
let secured: ApiServer;
before(async () => {
  h = await startApiHarness([echo, echoAgain, approval, broken]);
  secured = await h.serve({ authenticate: userKeysAuth() });
});
after(async () => h?.close());

const runsUrl = (workflow: string, server: ApiServer = secured) => `${server.url}/workflows/${workflow}/runs`;

async function startAs(key: string, workflow: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ run_id: string; user_id?: string; status: string }> {
  const response = await postForm(runsUrl(workflow), { stream: 'false', ...fields }, { ...bearer(key), ...headers });
  assert.ok(response.status === 200 || response.status === 202, `start ${workflow}: HTTP ${response.status}`);
  return (await response.json()) as { run_id: string; user_id?: string; status: string };
}

async function runAs(key: string, workflow: string, runId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${runsUrl(workflow)}/${runId}`, { headers: bearer(key) });
  assert.equal(response.status, 200, `GET ${workflow}/${runId}`);
  return (await response.json()) as Record<string, unknown>;
}

async function waitForStatus(workflow: string, runId: string, status: string): Promise<Record<string, unknown>> {
  return waitUntil(`run ${runId} to be ${status}`, async () => {
    const run = await runAs(ALICE, workflow, runId);
    return run.status === status && run;
  });
}

/** How many events the run's log holds now (one page is plenty for these short runs). */
async function eventCount(runId: string): Promise<number> {
  return (await h.engine.client.workflow.getHandle(runId).query(eventsQuery, -1, EVENTS_PAGE_LIMIT)).length;
}

async function executions(runId: string): Promise<number> {
  let n = 0;
  for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${runId}'` })) n += 1;
  return n;
}

describe('per-user isolation', () => {
  it('GET /workflows/{id}/runs lists only the caller’s own runs', async () => {
    const session = `iso-list-${Date.now()}`;
    const alices = await startAs(ALICE, 'echo', { message: 'from alice', session_id: session });
    const bobs = await startAs(BOB, 'echo', { message: 'from bob', session_id: session });
    const list = async (key: string, query = '') =>
      ((await (await fetch(`${runsUrl('echo')}?session_id=${session}${query}`, { headers: bearer(key) })).json()) as { run_id: string; user_id: string }[]).map((r) => r.run_id).sort();
    // Visibility is eventually consistent: wait until the admin sees both runs.
    await waitUntil('both runs to be listed', async () => (await list(ADMIN)).length === 2);
    assert.deepEqual(await list(ADMIN), [alices.run_id, bobs.run_id].sort(), 'the admin key sees every run');
    assert.deepEqual(await list(ALICE), [alices.run_id]);
    assert.deepEqual(await list(BOB), [bobs.run_id]);
    assert.deepEqual(await list(BOB, '&user_id=alice'), [bobs.run_id], 'a user filter cannot widen a user key’s view');
    assert.equal((await fetch(runsUrl('echo'))).status, 401);
  });

  it('resume, continue and retry answer 404 for another user’s run, and change nothing', async () => {
    const paused = await startAs(ALICE, 'approval', { message: 'post it', background: 'true' });
    await waitForStatus('approval', paused.run_id, 'PAUSED');
    const failed = await startAs(ALICE, 'broken', { message: 'send it' });
    assert.equal(failed.status, 'ERROR');

    const cases = [
      { route: 'resume', workflow: 'approval', runId: paused.run_id, status: 'PAUSED', body: { last_event_index: -1 } },
      { route: 'continue', workflow: 'approval', runId: paused.run_id, status: 'PAUSED', body: { step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false } },
      { route: 'retry', workflow: 'broken', runId: failed.run_id, status: 'ERROR', body: undefined },
    ];
    for (const { route, workflow, runId, status, body } of cases) {
      const before = { run: await runAs(ALICE, workflow, runId), events: await eventCount(runId), executions: await executions(runId), calls: { ...calls } };
      const url = `${runsUrl(workflow)}/${runId}/${route}`;
      const response = body === undefined ? await fetch(url, { method: 'POST', headers: bearer(BOB) }) : await postJson(url, body, bearer(BOB));
      assert.equal(response.status, 404, `${route} as another user`);
      assert.deepEqual(await response.json(), { detail: 'Run not found.' }, `${route}: answered like a missing run`);
      const missing = await postJson(`${runsUrl(workflow)}/no-such-run/${route}`, body ?? {}, bearer(BOB));
      assert.equal(missing.status, 404, `${route} of a missing run: the same answer`);

      const afterwards = { run: await runAs(ALICE, workflow, runId), events: await eventCount(runId), executions: await executions(runId), calls: { ...calls } };
      assert.equal(afterwards.run.status, status, `${route}: the run is still ${status}`);
      assert.deepEqual(afterwards, before, `${route}: nothing changed`);
    }

    // The owner may do each of them.
    const resumed = await readFrames(await postJson(`${runsUrl('approval')}/${paused.run_id}/resume`, { last_event_index: -1 }, bearer(ALICE)), 1);
    assert.equal((resumed.events[0] as RunEvent).event, 'WorkflowStarted');
    const continued = await postJson(`${runsUrl('approval')}/${paused.run_id}/continue`, { step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false }, bearer(ALICE));
    assert.equal(continued.status, 200);
    assert.equal(((await continued.json()) as { status: string }).status, 'COMPLETED');
    assert.equal(calls.publish, 1);
    const retried = await fetch(`${runsUrl('broken')}/${failed.run_id}/retry`, { method: 'POST', headers: bearer(ALICE) });
    assert.equal(retried.status, 202);
    await waitUntil('the retried run to run its step again', () => calls.broken === 2);
  });
});

describe('Idempotency-Key scope', () => {
  it('names one run per user and workflow: the same key elsewhere starts another run', async () => {
    const key = `idem-${Date.now()}`;
    const fields = { message: 'same body', background: 'true' };
    const alices = await startAs(ALICE, 'echo', fields, { 'idempotency-key': key });
    const again = await startAs(ALICE, 'echo', fields, { 'idempotency-key': key });
    assert.equal(again.run_id, alices.run_id, 'same user, workflow and key: the same run');
    const bobs = await startAs(BOB, 'echo', fields, { 'idempotency-key': key });
    assert.notEqual(bobs.run_id, alices.run_id, 'another user: another run');
    const otherWorkflow = await startAs(ALICE, 'echo-again', fields, { 'idempotency-key': key });
    assert.notEqual(otherWorkflow.run_id, alices.run_id, 'another workflow: another run');

    // Each run is its owner's and ran its own workflow.
    assert.equal((await fetch(`${runsUrl('echo')}/${bobs.run_id}`, { headers: bearer(ALICE) })).status, 404);
    const done = async (workflow: string, runId: string, owner: string) => {
      const run = await waitUntil(`run ${runId} to complete`, async () => {
        const body = await runAs(owner === 'alice' ? ALICE : BOB, workflow, runId);
        return body.status === 'COMPLETED' && body;
      });
      return [run.user_id, run.content];
    };
    assert.deepEqual(await done('echo', alices.run_id, 'alice'), ['alice', 'echo: same body']);
    assert.deepEqual(await done('echo', bobs.run_id, 'bob'), ['bob', 'echo: same body']);
    assert.deepEqual(await done('echo-again', otherWorkflow.run_id, 'alice'), ['alice', 'again: same body']);

    // Without auth, the body's user_id scopes the key the same way.
    const open = (user: string) => postForm(runsUrl('echo', h.api), { ...fields, stream: 'false', user_id: user }, { 'idempotency-key': key });
    const u1 = (await (await open('u1')).json()) as { run_id: string };
    const u2 = (await (await open('u2')).json()) as { run_id: string };
    assert.notEqual(u1.run_id, u2.run_id);
    assert.equal(((await (await open('u1')).json()) as { run_id: string }).run_id, u1.run_id);
  });
});
