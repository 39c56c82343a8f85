/**
 * A session's queue over HTTP: runs started in a session with a live run follow their
 * `multitask_strategy` (enqueue by default, reject, interrupt, rollback, concurrent); queued runs
 * are PENDING in `/runs` and cancellable; a session's runs execute in submission order; a queued
 * run's Idempotency-Key is checked against its request as a started run's is.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { pollRunUntilEnded, postJson } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { QueueApi } from './queue-api.ts';
import { SESSION_QUEUE_WORKFLOW_TYPE, sessionQueueId } from '../../../src/contracts/session-queue-api.ts';
import type { QueuedRun } from '../../../src/contracts/session-queue-api.ts';

const api = new QueueApi();
const { gated } = api;
const WORKFLOW = api.workflowId;
const runUrl = (runId: string) => api.runUrl(runId);
const start = (sessionId: string, message: string, extra?: Record<string, unknown>) => api.start(sessionId, message, extra);
const started = (sessionId: string, message: string, extra?: Record<string, unknown>) => api.started(sessionId, message, extra);
const reached = (input: string) => api.reached(input);

async function statusOf(runId: string): Promise<string> {
  const response = await fetch(runUrl(runId));
  assert.equal(response.status, 200);
  return ((await response.json()) as { status: string }).status;
}

async function sessionRuns(sessionId: string): Promise<Array<{ run_id: string; status: string }>> {
  const response = await fetch(`${api.h.api.url}/workflows/${WORKFLOW}/runs?session_id=${sessionId}`);
  assert.equal(response.status, 200);
  return (await response.json()) as Array<{ run_id: string; status: string }>;
}

describe('enqueue (the default)', () => {
  it('starts a session’s runs one at a time, in submission order; the queued ones are PENDING meanwhile', async () => {
    const session = randomUUID();
    const first = await started(session, 'hold first');
    await reached('hold first');
    const second = await started(session, 'hold second');
    const third = await started(session, 'third');
    assert.equal(await statusOf(second), 'PENDING');
    assert.equal(await statusOf(third), 'PENDING');
    const listed = await sessionRuns(session);
    assert.deepEqual(new Set(listed.map((run) => run.run_id)), new Set([first, second, third]));
    assert.equal(listed.find((run) => run.run_id === third)?.status, 'PENDING');
    assert.deepEqual(gated.started, ['hold first']);

    gated.open('hold first');
    await reached('hold second');
    assert.equal((await pollRunUntilEnded(runUrl(first))).status, 'COMPLETED');
    assert.equal(await statusOf(third), 'PENDING');
    gated.open('hold second');
    assert.equal((await pollRunUntilEnded(runUrl(third))).status, 'COMPLETED');
    assert.deepEqual(gated.started, ['hold first', 'hold second', 'third']);
  });

  it('keeps the order of many runs submitted at once to one session', async () => {
    const session = randomUUID();
    const inputs = Array.from({ length: 8 }, (_, i) => `run ${i}`);
    const ids: string[] = [];
    for (const input of inputs) ids.push(await started(session, input));
    for (const id of ids) assert.equal((await pollRunUntilEnded(runUrl(id))).status, 'COMPLETED');
    assert.deepEqual(gated.started, inputs);
  });

  it('cancels a queued run: it leaves the queue, ends CANCELLED with WorkflowCancelled, and never runs', async () => {
    const session = randomUUID();
    const first = await started(session, 'hold a');
    await reached('hold a');
    const queued = await started(session, 'b');
    const last = await started(session, 'c');
    const cancel = await fetch(`${runUrl(queued)}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 200);
    const ended = await pollRunUntilEnded(runUrl(queued));
    assert.equal(ended.status, 'CANCELLED');
    const events = (await (await fetch(`${runUrl(queued)}/events`)).text()).match(/^event: \w+$/gm);
    assert.deepEqual(events, ['event: WorkflowCancelled']);
    assert.equal(await statusOf(first), 'RUNNING');
    gated.open('hold a');
    assert.equal((await pollRunUntilEnded(runUrl(last))).status, 'COMPLETED');
    assert.deepEqual(gated.started, ['hold a', 'c']);
  });
});

describe('an Idempotency-Key of a queued run', () => {
  it('names that run for the same request, and is a 409 for another, as for a started run', async () => {
    const session = randomUUID();
    const key = randomUUID();
    const withKey = (message: string) =>
      postJson(`${api.h.api.url}/workflows/${WORKFLOW}/runs`, { message, session_id: session, stream: false, background: true }, { 'idempotency-key': key });
    const first = await started(session, 'hold keyed');
    await reached('hold keyed');
    const queued = await withKey('keyed');
    assert.equal(queued.status, 202);
    const queuedId = ((await queued.json()) as { run_id: string }).run_id;
    const again = await withKey('keyed');
    assert.equal(((await again.json()) as { run_id: string }).run_id, queuedId, 'the same request gets the queued run');
    const other = await withKey('another message');
    assert.equal(other.status, 409);
    assert.match(((await other.json()) as { detail: string }).detail, /Idempotency-Key/);
    assert.equal(await statusOf(queuedId), 'PENDING');
    gated.open('hold keyed');
    assert.equal((await pollRunUntilEnded(runUrl(queuedId))).status, 'COMPLETED');
    assert.deepEqual(gated.started, ['hold keyed', 'keyed']);
    assert.equal(await statusOf(first), 'COMPLETED');
  });
});

describe('reject', () => {
  it('answers 409 and starts nothing while the session has a live run; starts once it has none', async () => {
    const session = randomUUID();
    const first = await started(session, 'hold only');
    await reached('hold only');
    const refused = await start(session, 'refused', { multitask_strategy: 'reject' });
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { detail: string }).detail, /has a run in progress/);
    assert.deepEqual((await sessionRuns(session)).map((run) => run.run_id), [first]);
    gated.open('hold only');
    await pollRunUntilEnded(runUrl(first));
    const next = await started(session, 'accepted', { multitask_strategy: 'reject' });
    assert.equal((await pollRunUntilEnded(runUrl(next))).status, 'COMPLETED');
    assert.deepEqual(gated.started, ['hold only', 'accepted']);
  });
});

describe('concurrent', () => {
  it('starts at once beside the live run', async () => {
    const session = randomUUID();
    const first = await started(session, 'hold beside');
    await reached('hold beside');
    const beside = await started(session, 'beside', { multitask_strategy: 'concurrent' });
    assert.equal((await pollRunUntilEnded(runUrl(beside))).status, 'COMPLETED');
    assert.equal(await statusOf(first), 'RUNNING');
    gated.open('hold beside');
    assert.equal((await pollRunUntilEnded(runUrl(first))).status, 'COMPLETED');
  });
});

describe('interrupt', () => {
  it('cancels the live run and the queued ones, then starts the new run', async () => {
    const session = randomUUID();
    const live = await started(session, 'hold interrupted');
    await reached('hold interrupted');
    const queued = await started(session, 'never');
    const next = await started(session, 'interrupting', { multitask_strategy: 'interrupt' });
    assert.equal((await pollRunUntilEnded(runUrl(next))).status, 'COMPLETED');
    assert.equal((await pollRunUntilEnded(runUrl(live))).status, 'CANCELLED');
    assert.equal((await pollRunUntilEnded(runUrl(queued))).status, 'CANCELLED');
    assert.deepEqual(gated.started, ['hold interrupted', 'interrupting']);
  });
});

describe('rollback', () => {
  it('cancels and deletes the live run and the queued ones, then starts the new run', async () => {
    const session = randomUUID();
    const live = await started(session, 'hold rolled back');
    await reached('hold rolled back');
    const queued = await started(session, 'never either');
    const next = await started(session, 'rolling back', { multitask_strategy: 'rollback' });
    assert.equal((await pollRunUntilEnded(runUrl(next))).status, 'COMPLETED');
    for (const gone of [live, queued]) {
      // Temporal deletes an execution a while after it was asked to; the run's row goes after it.
      await waitUntil(`run ${gone} to be deleted`, async () => (await fetch(runUrl(gone))).status === 404, { timeoutMs: 120_000, intervalMs: 1000 });
    }
    assert.deepEqual((await sessionRuns(session)).map((run) => run.run_id), [next]);
    assert.deepEqual(gated.started, ['hold rolled back', 'rolling back']);
  });
});

describe('a long queue', () => {
  it('continues as new between runs and keeps their order', async () => {
    const session = randomUUID();
    // The queue's first execution started by hand with a small history budget, holding its first run.
    const first: QueuedRun = {
      execution: { runId: randomUUID(), run: { plan: gated.workflow.toPlan(), input: 'hold head', sessionId: session }, memo: { input: 'hold head' }, reusePolicy: 'REJECT_DUPLICATE' },
      strategy: 'enqueue',
    };
    const queueId = sessionQueueId(session);
    await api.h.engine.client.workflow.start(SESSION_QUEUE_WORKFLOW_TYPE, { workflowId: queueId, taskQueue: api.h.taskQueue, args: [{ sessionId: session, queued: [first], historyEventsBudget: 30 }] });
    await reached('hold head');
    const inputs = Array.from({ length: 8 }, (_, i) => `long ${i}`);
    const ids: string[] = [];
    for (const input of inputs) ids.push(await started(session, input));
    gated.open('hold head');
    for (const id of ids) assert.equal((await pollRunUntilEnded(runUrl(id))).status, 'COMPLETED');
    assert.deepEqual(gated.started, ['hold head', ...inputs]);
    let executions = 0;
    for await (const _ of api.h.engine.client.workflow.list({ query: `WorkflowId = '${queueId}'` })) executions += 1;
    assert.ok(executions >= 2, `the queue continued as new (${executions} executions)`);
  });
});

describe('deleting a session', () => {
  it('takes its queued runs out of the queue: they never run', async () => {
    const session = randomUUID();
    const live = await started(session, 'hold deleted');
    await reached('hold deleted');
    const queued = await started(session, 'deleted before its turn');
    assert.equal((await fetch(`${api.h.api.url}/sessions/${session}`, { method: 'DELETE' })).status, 204);
    // The queue ends once nothing of the session is left in it: the queued run was dropped, not run.
    await waitUntil('the session’s queue to end', async () => (await api.h.engine.client.workflow.getHandle(sessionQueueId(session)).describe()).status.name !== 'RUNNING', { timeoutMs: 120_000, intervalMs: 500 });
    assert.deepEqual(gated.started, ['hold deleted']);
    for (const gone of [live, queued]) {
      await waitUntil(`run ${gone} to be deleted`, async () => (await fetch(runUrl(gone))).status === 404, { timeoutMs: 120_000, intervalMs: 1000 });
    }
  });
});
