/**
 * The content-creation workflow on the production topology (./support/cluster.ts): the real
 * Temporal server on PostgreSQL with SQL visibility, two workers and two API processes behind
 * nginx, Redis for the live lane, S3 for blobs, PostgreSQL for the run store. Each run is checked
 * through the proxy and directly on each API: the same status and the same events on both, every
 * log gapless and ended, and clients that lost their connection get exactly the rest.
 *
 * Run by `npm run test:cluster` (not by `npm test`: it builds the Temporal server the first time).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { isLogEvent } from '../../src/contracts/live.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { StreamReader } from '../live/support/stream-reader.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { pollRunUntilEnded, postForm, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';
import { clusterMissing, startCluster } from './support/cluster.ts';
import type { Cluster } from './support/cluster.ts';

const WF = 'content-creation-workflow';
const skip = skipWithoutTool('the cluster suite (test/cluster/)', clusterMissing());
let cluster: Cluster;

const runUrl = (base: string, runId: string) => `${base}/workflows/${WF}/runs/${runId}`;
const eventsUrl = (base: string, runId: string) => `${runUrl(base, runId)}/events`;
const isPlannerText = (event: StreamedEvent) => !isLogEvent(event) && event.event === 'RunContent' && event.agent_name === 'Content Planner';

/** The planner writes its answer slowly (one chunk per `chunkDelayMs`), so there is time to kill something mid-answer. */
function slowPlanner(chunkDelayMs: number): void {
  cluster.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs } : contentCreationReply(req)));
}

/** Starts a run in the background through `base`: 202, PENDING, its id. */
async function startRun(base: string, fields: Record<string, string> = {}): Promise<string> {
  const response = await postForm(`${base}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true', ...fields });
  const body = (await response.json()) as { run_id: string; status: string };
  assert.equal(response.status, 202, JSON.stringify(body));
  assert.equal(body.status, 'PENDING');
  return body.run_id;
}

/** A run's whole log from `base`'s `/events` (an ended run: log events only, then the stream ends). */
async function readLog(base: string, runId: string): Promise<RunEvent[]> {
  const response = await fetch(eventsUrl(base, runId));
  assert.equal(response.status, 200, `${eventsUrl(base, runId)}: ${response.status}`);
  const { events } = await readFrames(response, Infinity, 60_000);
  return events;
}

/**
 * Through the proxy and on each API directly: the same status (and content), the same log, gapless
 * from 0 and ended by `terminal`; the run read (GET) carries that log too.
 */
async function assertSameEverywhere(runId: string, status: string, terminal: string): Promise<RunEvent[]> {
  const bases = [cluster.proxy, ...cluster.apis.map((api) => api.url)];
  const reads = await Promise.all(bases.map(async (base) => (await fetch(runUrl(base, runId))).json() as Promise<Record<string, unknown>>));
  const logs = await Promise.all(bases.map((base) => readLog(base, runId)));
  const [log] = logs;
  assert.deepEqual(log!.map((event) => event.event_index), [...log!.keys()], 'the log is gapless from 0');
  assert.equal(log!.at(-1)?.event, terminal, 'the log ends with the run');
  bases.forEach((base, i) => {
    assert.equal(reads[i]!.status, status, `${base}: status`);
    assert.deepEqual(logs[i], log, `${base}: the same log`);
    assert.equal(reads[i]!.content, reads[0]!.content, `${base}: the same content`);
    if (reads[i]!.events_truncated !== true) {
      assert.deepEqual((reads[i]!.events as RunEvent[]).map((event) => event.event_index), [...log!.keys()], `${base}: GET carries the log`);
    }
  });
  return log!;
}

/** What a client must end with: each log event once and in order, and exactly the run's text per model call. */
function assertExact(reader: StreamReader, log: RunEvent[], what: string): void {
  assert.deepEqual(reader.log.map((event) => event.event_index), [...log.keys()], `${what}: every log event once, in order`);
  assert.deepEqual(reader.text, StreamReader.textOfLog(log), `${what}: exactly the run's text`);
  assert.equal([...reader.text.values()].at(-1), CONTENT_PLAN, `${what}: the planner's answer`);
}

/** The pid of the worker process running the run's pending activity, from Temporal's describe. */
function workerRunning(runId: string): Promise<string> {
  return waitUntil('the planner call to be running on a worker', async () => {
    const description = await cluster.client.workflow.getHandle(runId).describe();
    return description.raw.pendingActivities?.find((activity) => activity.lastWorkerIdentity)?.lastWorkerIdentity ?? undefined;
  });
}

describe('the content-creation workflow on a Temporal cluster behind nginx', { skip }, () => {
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster?.close();
  });

  it('runs in the background, streamed and polled through the proxy; both APIs agree', async () => {
    slowPlanner(20);
    const runId = await startRun(cluster.proxy);
    const reader = new StreamReader();
    const streamed = reader.read(eventsUrl(cluster.proxy, runId));
    const polled = await pollRunUntilEnded(runUrl(cluster.proxy, runId), { timeoutMs: 120_000, intervalMs: 250 });
    assert.equal(polled.status, 'COMPLETED', JSON.stringify(polled).slice(0, 2000));
    assert.equal(polled.content, CONTENT_PLAN);
    await streamed;
    assert.ok(reader.ended, 'the stream ended');
    assert.ok(reader.live.some(isPlannerText), 'token deltas came live, through Redis, to whichever API served the stream');
    const log = await assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
    assertExact(reader, log, 'the client of the proxy');
    // nginx spread the polls over both APIs.
    const upstreams = new Set([...cluster.nginx.accessLog().matchAll(/upstream=(\S+)/g)].map((match) => match[1]));
    for (const api of cluster.apis) assert.ok(upstreams.has(api.address), `nginx sent requests to ${api.address}: ${[...upstreams].join(', ')}`);
  });

  it('a worker SIGKILLed mid-model-call: the run completes on the other worker; the client reconnects through the proxy', async () => {
    slowPlanner(150);
    const runId = await startRun(cluster.proxy);
    const reader = new StreamReader();
    let plannerFrames = 0;
    await reader.read(eventsUrl(cluster.proxy, runId), { stop: (event) => isPlannerText(event) && ++plannerFrames === 4 });
    assert.equal(plannerFrames, 4, 'the planner streamed live');
    const identity = await workerRunning(runId);
    const victim = cluster.workers.find((worker) => worker.pids().some((pid) => identity.startsWith(`${pid}@`)));
    assert.ok(victim, `a worker of ours runs the call (${identity})`);
    await victim.kill();
    try {
      await reader.read(eventsUrl(cluster.proxy, runId), { timeoutMs: 180_000 });
      assert.ok(reader.ended, 'the stream ended');
      assert.ok(reader.discards >= 1, "the dead attempt's text was discarded");
      const log = await assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
      assertExact(reader, log, 'the client across the worker crash');
      const survivor = cluster.workers.find((worker) => worker !== victim)!;
      assert.ok(survivor.alive, 'the other worker is still up');
    } finally {
      await victim.restart();
    }
  });

  it('an API SIGKILLed mid-stream: the client reconnects through the proxy with Last-Event-ID and gets exactly the rest', async () => {
    slowPlanner(120);
    const runId = await startRun(cluster.proxy);
    const reader = new StreamReader();
    let upstream: string | null = null;
    let plannerFrames = 0;
    let killing: Promise<void> | undefined;
    await reader.read(eventsUrl(cluster.proxy, runId), {
      onResponse: (response) => (upstream = response.headers.get('x-upstream')),
      stop: (event) => {
        if (isPlannerText(event) && ++plannerFrames === 5) {
          const api = cluster.apis.find((candidate) => candidate.address === upstream);
          assert.ok(api, `the stream comes from one of our APIs (${upstream})`);
          killing = api.process.kill();
        }
        return false;
      },
    });
    assert.ok(killing, 'the API serving the stream was killed mid-answer');
    await killing;
    assert.equal(reader.ended, false, 'the stream was cut off');
    const killed = cluster.apis.find((api) => api.address === upstream)!;
    const cutAt = reader.lastId;
    try {
      const resumed = { from: null as string | null };
      await reader.read(eventsUrl(cluster.proxy, runId), { onResponse: (response) => (resumed.from = response.headers.get('x-upstream')) });
      assert.ok(reader.ended, 'the resumed stream ended');
      assert.ok(resumed.from && !resumed.from.endsWith(killed.address), `the proxy resumed it on the other API (${resumed.from}), from ${cutAt}`);
      await killed.process.restart();
      const log = await assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
      assertExact(reader, log, 'the client resumed through the proxy');
      assert.equal(reader.discards, 0, 'nothing to discard');
    } finally {
      if (!killed.process.alive) await killed.process.restart();
    }
  });
});
