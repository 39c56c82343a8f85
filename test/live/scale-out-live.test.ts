/**
 * The live lane between separate processes: two workers and two API replicas through a real
 * Redis. Clients get tokens live, and whatever dies mid-answer (an API replica, a worker, the
 * broker itself), a client that reconnects through the other replica with the id of the last
 * frame it got ends up with exactly the run's text: none twice, none lost, none of a failed attempt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { isLogEvent } from '../../src/contracts/live.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killProcess, startEntrypoint } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { postForm } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';
import { redisMissing, startRedis } from './support/redis-server.ts';
import type { RedisServer } from './support/redis-server.ts';
import { StreamReader } from './support/stream-reader.ts';

const WF = 'content-creation-workflow';
// Skipped, loudly, on a machine without Redis; in CI (test/support/ci.ts) it fails without it.
const skip = skipWithoutTool('the live lane across processes (test/live/scale-out-live.test.ts)', redisMissing());
let h: Harness;
let redis: RedisServer;
const workers: ChildProcess[] = [];
const apis: { child: ChildProcess; url: string; output(): string }[] = [];

async function startApi(): Promise<{ child: ChildProcess; url: string; output(): string }> {
  const port = await freePort();
  const { child, output } = await startEntrypoint('server', { ...h.env, REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1' });
  return { child, url: `http://127.0.0.1:${port}`, output };
}

async function startRun(api: string): Promise<string> {
  const response = await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  return ((await response.json()) as { run_id: string }).run_id;
}

const eventsUrl = (api: string, runId: string) => `${api}/workflows/${WF}/runs/${runId}/events`;
const isPlannerText = (event: StreamedEvent) => !isLogEvent(event) && event.event === 'RunContent' && event.agent_name === 'Content Planner';

/** What every client must end with: the log's text per model call, and each log event once, in order. */
async function assertExact(reader: StreamReader, runId: string, what: string): Promise<void> {
  const log = await collectEvents(h.engine, runId);
  assert.equal(log.at(-1)?.event, 'WorkflowCompleted', `${what}: the run completed`);
  assert.deepEqual(reader.log.map((e) => e.event_index), log.map((e) => e.event_index), `${what}: every log event once, in order`);
  assert.deepEqual(reader.text, StreamReader.textOfLog(log), `${what}: exactly the run's text`);
  assert.equal([...reader.text.values()].at(-1), CONTENT_PLAN, `${what}: the planner's answer`);
}

describe('live lane across processes (Redis)', { skip }, () => {
  before(async () => {
    h = await startHarness();
    redis = await startRedis();
    const env = { ...h.env, REDIS_URL: redis.url };
    // Heartbeats every second (the default) and a 3 s timeout: a killed worker's call is retried soon.
    workers.push(...(await Promise.all([startEntrypoint('worker', env), startEntrypoint('worker', env)])).map((p) => p.child));
    apis.push(...(await Promise.all([startApi(), startApi()])));
  });
  after(async () => {
    for (const child of [...workers, ...apis.map((api) => api.child)]) await killProcess(child).catch(() => undefined);
    await redis?.close();
    await h?.close();
  });

  it('streams tokens live through either replica, and a client resumed on the other after an API SIGKILL has the same text', async () => {
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 120 } : contentCreationReply(req)));
    const [a, b] = [apis[0]!, apis[1]!];
    const runId = await startRun(a.url);
    // One client stays on replica B all along; the other starts on A, which dies mid-answer.
    const steady = new StreamReader();
    const steadyDone = steady.read(eventsUrl(b.url, runId));
    const moving = new StreamReader();
    let plannerFrames = 0;
    await moving.read(eventsUrl(a.url, runId), { stop: (event) => isPlannerText(event) && ++plannerFrames === 5 });
    assert.equal(plannerFrames, 5, 'the planner streamed live through replica A');
    await killProcess(a.child);
    apis[0] = await startApi();
    await moving.read(eventsUrl(b.url, runId));
    await steadyDone;
    assert.ok(moving.ended && steady.ended);
    assert.ok(steady.live.filter(isPlannerText).length > 10, 'replica B forwarded the planner live');
    await assertExact(steady, runId, 'the client that stayed');
    await assertExact(moving, runId, 'the client resumed on the other replica');
    assert.equal(moving.discards + steady.discards, 0, 'nothing to discard');
  });

  it('after a worker SIGKILL mid-answer, a client back through the other replica drops the dead attempt and gets the retry, exactly', async () => {
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 150 } : contentCreationReply(req)));
    const api = apis[1]!;
    const runId = await startRun(api.url);
    const reader = new StreamReader();
    let plannerFrames = 0;
    await reader.read(eventsUrl(api.url, runId), { stop: (event) => isPlannerText(event) && ++plannerFrames === 4 });
    // The worker running the planner's call: Temporal knows who took it.
    const identity = await waitUntil('the planner call to be running on a worker', async () => {
      const description = await h.engine.client.workflow.getHandle(runId).describe();
      return description.raw.pendingActivities?.find((activity) => activity.lastWorkerIdentity)?.lastWorkerIdentity ?? undefined;
    });
    const victim = workers.find((worker) => identity.startsWith(`${worker.pid}@`));
    assert.ok(victim, `a worker of ours ran the call (${identity})`);
    await killProcess(victim);
    const { child } = await startEntrypoint('worker', { ...h.env, REDIS_URL: redis.url });
    workers.splice(workers.indexOf(victim), 1, child);
    // The client, cut off with the worker's text, comes back through the other replica.
    await reader.read(eventsUrl(apis[0]!.url, runId), { timeoutMs: 180_000 });
    assert.ok(reader.ended);
    assert.ok(reader.discards >= 1, 'the dead attempt was discarded');
    await assertExact(reader, runId, 'the client across the worker crash');
  });

  it('when the broker dies mid-run, the run completes and clients still get every word through the log', async () => {
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 120 } : contentCreationReply(req)));
    const api = apis[1]!;
    const runId = await startRun(api.url);
    const reader = new StreamReader();
    let plannerFrames = 0;
    await reader.read(eventsUrl(api.url, runId), { stop: (event) => isPlannerText(event) && ++plannerFrames === 3 });
    await redis.kill();
    await reader.read(eventsUrl(api.url, runId));
    assert.ok(reader.ended, `the stream ended early; the API said:\n${api.output()}`);
    await assertExact(reader, runId, 'the client across the broker outage');
    const health = (await (await fetch(`${api.url}/health`)).json()) as { live_lane: { kind: string; connected: boolean } };
    assert.equal(health.live_lane.kind, 'redis');
    assert.equal(health.live_lane.connected, false, '/health says the lane is down');
    await redis.restart();
    await waitUntil('the API to reconnect to the broker', async () => ((await (await fetch(`${api.url}/health`)).json()) as typeof health).live_lane.connected, { timeoutMs: 20_000 });
  });
});
