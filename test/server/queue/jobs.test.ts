/**
 * The queue's views and bound over HTTP: `GET /jobs` (queued runs with their place in their
 * session's queue), `GET /jobs/{id}`, `POST /jobs/{id}/requeue`, `GET /stats` with Agno's fields,
 * and the 429 of a start past MAX_QUEUE_DEPTH, which starts nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { pollRunUntilEnded, postJson } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { ApiError, DurableAgentsClient } from '../../../src/client/client.ts';
import { sessionQueueId } from '../../../src/contracts/session-queue-api.ts';
import { QueueApi } from './queue-api.ts';

const api = new QueueApi('Gated Jobs');
const { gated } = api;
const WORKFLOW = api.workflowId;
const runUrl = (runId: string, base?: string) => api.runUrl(runId, base);
const started = (sessionId: string, message: string, base?: string) => api.started(sessionId, message, {}, base);
const reached = (input: string) => api.reached(input);

interface Job {
  id: string;
  status: string;
  queue_position: number | null;
  session_id: string;
  component_type: string;
  component_id: string;
  attempt: number;
  payload: { input: string };
  completed_at: number | null;
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}

describe('jobs and stats', () => {
  it('lists queued runs with their place in their session’s queue, and counts them in the stats', async () => {
    const session = randomUUID();
    const live = await started(session, 'hold live');
    await reached('hold live');
    const second = await started(session, 'second');
    const third = await started(session, 'third');

    const { status, body: page } = await json<{ data: Job[]; meta: { total_count: number; page: number; limit: number } }>(`${api.h.api.url}/jobs?session_id=${session}&sort_order=asc`);
    assert.equal(status, 200);
    assert.deepEqual(
      page.data.map((job) => [job.id, job.status, job.queue_position]),
      [
        [live, 'running', null],
        [second, 'queued', 1],
        [third, 'queued', 2],
      ],
    );
    assert.equal(page.meta.total_count, 3);
    const queuedJob = page.data[1]!;
    assert.equal(queuedJob.component_type, 'workflow');
    assert.equal(queuedJob.component_id, WORKFLOW);
    assert.equal(queuedJob.attempt, 0);
    assert.equal(queuedJob.payload.input, 'second');

    const onlyQueued = await json<{ data: Job[] }>(`${api.h.api.url}/jobs?session_id=${session}&status=queued&status=paused`);
    assert.deepEqual(new Set(onlyQueued.body.data.map((job) => job.id)), new Set([second, third]));
    const one = await json<Job>(`${api.h.api.url}/jobs/${third}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.queue_position, 2);
    assert.equal((await fetch(`${api.h.api.url}/jobs/${randomUUID()}`)).status, 404);
    assert.equal((await fetch(`${api.h.api.url}/jobs?status=waiting`)).status, 400, 'an unknown status is Agno’s 400');

    const stats = await json<{ counts: Record<string, number>; oldest_queued_age_seconds: number | null; queue_depth: number; max_queue_depth: number }>(`${api.h.api.url}/stats`);
    assert.equal(stats.status, 200);
    assert.equal(stats.body.counts.queued, 2);
    assert.equal(stats.body.queue_depth, 2);
    assert.equal(stats.body.max_queue_depth, 1000);
    assert.ok(stats.body.oldest_queued_age_seconds !== null && stats.body.oldest_queued_age_seconds >= 0);

    gated.open('hold live');
    await pollRunUntilEnded(runUrl(third));
    const drained = await json<{ counts: Record<string, number>; oldest_queued_age_seconds: number | null }>(`${api.h.api.url}/stats`);
    assert.equal(drained.body.counts.queued ?? 0, 0);
    assert.equal(drained.body.oldest_queued_age_seconds, null);
    const done = await json<Job>(`${api.h.api.url}/jobs/${third}`);
    assert.equal(done.body.status, 'completed');
    assert.ok(done.body.completed_at !== null);
  });

  it('requeues a cancelled run’s input as a new run in its session, and refuses a completed one (409)', async () => {
    const session = randomUUID();
    const cancelled = await started(session, 'hold cancelled');
    await reached('hold cancelled');
    await fetch(`${runUrl(cancelled)}/cancel`, { method: 'POST' });
    assert.equal((await pollRunUntilEnded(runUrl(cancelled))).status, 'CANCELLED');
    const requeued = await json<Job>(`${api.h.api.url}/jobs/${cancelled}/requeue`, { method: 'POST' });
    assert.equal(requeued.status, 200, JSON.stringify(requeued.body));
    assert.notEqual(requeued.body.id, cancelled);
    assert.equal(requeued.body.session_id, session);
    await reached('hold cancelled');
    gated.open('hold cancelled');
    const ended = await pollRunUntilEnded(runUrl(requeued.body.id));
    assert.equal(ended.status, 'COMPLETED');
    assert.equal(ended.content, 'passed hold cancelled');
    const refused = await fetch(`${api.h.api.url}/jobs/${requeued.body.id}/requeue`, { method: 'POST' });
    assert.equal(refused.status, 409);
  });
});

describe('the TypeScript client', () => {
  it('starts with a strategy, lists jobs and reads the stats', async () => {
    const client = new DurableAgentsClient({ baseUrl: api.h.api.url });
    const session = randomUUID();
    const live = await client.startRun(WORKFLOW, { message: 'hold client', sessionId: session });
    await reached('hold client');
    await assert.rejects(client.startRun(WORKFLOW, { message: 'refused', sessionId: session, multitaskStrategy: 'reject' }), (err: ApiError) => err.status === 409);
    const queued = await client.startRun(WORKFLOW, { message: 'queued', sessionId: session });
    const page = await client.listJobs({ sessionId: [session], status: ['queued'] });
    assert.deepEqual(page.data.map((job) => [job.id, job.queue_position]), [[queued.run_id, 1]]);
    assert.equal((await client.getJob(queued.run_id)).status, 'queued');
    assert.equal((await client.queueStats()).queue_depth, 1);
    gated.open('hold client');
    await client.waitUntilDone(WORKFLOW, queued.run_id);
    assert.equal((await client.getJob(live.run_id)).status, 'completed');
  });
});

describe('queue depth', () => {
  it('answers 429 with Retry-After past MAX_QUEUE_DEPTH runs waiting, and starts nothing', async () => {
    const bounded = await api.h.serve({ queue: { maxQueueDepth: 2 } });
    const session = randomUUID();
    const live = await started(session, 'hold bound', bounded.url);
    await reached('hold bound');
    await started(session, 'waiting 1', bounded.url);
    await started(session, 'waiting 2', bounded.url);
    const refused = await postJson(`${bounded.url}/workflows/${WORKFLOW}/runs`, { message: 'one too many', session_id: randomUUID(), stream: false, background: true });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match(((await refused.json()) as { detail: string }).detail, /MAX_QUEUE_DEPTH/);
    const listed = await json<{ data: Job[] }>(`${api.h.api.url}/jobs?limit=100`);
    assert.ok(!listed.body.data.some((job) => job.payload.input === 'one too many'), 'nothing started');
    gated.open('hold bound');
    await pollRunUntilEnded(runUrl(live));
    const stats = await waitUntil('the queue to drain', async () => {
      const { body } = await json<{ queue_depth: number }>(`${api.h.api.url}/stats`);
      return body.queue_depth === 0 && body;
    });
    assert.equal(stats.queue_depth, 0);
    assert.equal((await postJson(`${bounded.url}/workflows/${WORKFLOW}/runs`, { message: 'fits now', stream: false, background: true })).status, 202);
  });
});

describe('concurrency cap', () => {
  it('starts a queued run only when fewer than MAX_CONCURRENCY runs execute', async (t) => {
    await api.h.stopWorkers();
    const capped = await api.h.startWorker([gated.workflow], { env: { ...api.h.env, MAX_CONCURRENCY: '2' } });
    t.after(() => capped.shutdown());
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    const firstRun = await started(first, 'hold cap 1');
    await reached('hold cap 1');
    await waitUntil('the first run to be RUNNING', async () => (await json<{ status: string }>(runUrl(firstRun))).body.status === 'RUNNING');
    const secondRun = await started(second, 'hold cap 2');
    await reached('hold cap 2');
    await waitUntil('the second run to be RUNNING', async () => (await json<{ status: string }>(runUrl(secondRun))).body.status === 'RUNNING');
    const thirdRun = await started(third, 'cap 3');
    // The third session's queue found no slot: it waits (a timer in its history) with its run PENDING.
    await waitUntil('the third queue to wait for a slot', async () => {
      const history = await api.h.engine.client.workflow.getHandle(sessionQueueId(third)).fetchHistory();
      return history.events?.some((event) => event.timerStartedEventAttributes);
    });
    assert.equal((await json<Job>(`${api.h.api.url}/jobs/${thirdRun}`)).body.status, 'queued');
    gated.open('hold cap 1');
    assert.equal((await pollRunUntilEnded(runUrl(thirdRun))).status, 'COMPLETED');
    assert.ok(gated.log.indexOf('begin cap 3') > gated.log.indexOf('end hold cap 1'), gated.log.join(', '));
    gated.open('hold cap 2');
    await pollRunUntilEnded(runUrl(secondRun));
  });

  it('gives the one slot to one run when several queues ask at once (MAX_CONCURRENCY=1): the cap is exact', async (t) => {
    await api.h.stopWorkers();
    const capped = await api.h.startWorker([gated.workflow], { env: { ...api.h.env, MAX_CONCURRENCY: '1' } });
    t.after(() => capped.shutdown());
    const inputs = [1, 2, 3, 4].map((i) => `hold race ${i}`);
    // Four sessions' queues, started together, each asking for the one slot.
    const ids = await Promise.all(inputs.map((input) => started(randomUUID(), input)));
    for (let i = 0; i < inputs.length; i++) {
      await waitUntil(`run ${i + 1} of the race to begin`, () => gated.started.length > i);
      gated.open(gated.started[i]!);
    }
    for (const id of ids) assert.equal((await pollRunUntilEnded(runUrl(id))).status, 'COMPLETED');
    const race = gated.log.filter((entry) => entry.includes('race'));
    const oneAtATime = race.every((entry, i) => entry.startsWith(i % 2 === 0 ? 'begin' : 'end'));
    assert.ok(oneAtATime, `each run begins after the one before it ended: ${race.join(', ')}`);
  });
});
