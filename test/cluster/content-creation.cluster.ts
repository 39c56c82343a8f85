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
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunEvent } from '../../src/contracts/events.ts';
import { isLogEvent } from '../../src/contracts/live.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { StreamReader } from '../live/support/stream-reader.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { pollRunUntilEnded } from '../support/http.ts';
import type { FakeRequest } from '../fakes/openai.ts';
import { waitUntil } from '../support/wait.ts';
import { clusterMissing, startCluster } from './support/cluster.ts';
import type { Cluster } from './support/cluster.ts';
import { ClusterRuns } from './support/cluster-runs.ts';

const WF = 'content-creation-workflow';
const skip = skipWithoutTool('the cluster suite (test/cluster/)', clusterMissing());
let cluster: Cluster;

const runs = new ClusterRuns(() => cluster, WF);
const { runUrl, eventsUrl, pollUntilStatus, assertSameEverywhere } = runs;
const isPlannerText = (event: StreamedEvent) => !isLogEvent(event) && event.event === 'RunContent' && event.agent_name === 'Content Planner';

/** The planner writes its answer slowly (one chunk per `chunkDelayMs`), so there is time to kill something mid-answer. */
function slowPlanner(chunkDelayMs: number): void {
  cluster.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs } : contentCreationReply(req)));
}

/** Starts a run of the workflow in the background through `base`. */
const startRun = (base: string, fields: Record<string, string> = {}) => runs.start(base, { message: 'AI trends in 2024', ...fields });

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

/**
 * Readers of the run's stream through the proxy and on each API directly, all open while
 * `disrupt` runs (started once the proxy's reader has seen `frames` chunks of the planner's
 * answer). Each reader reconnects with Last-Event-ID whenever its stream is cut or refused, until
 * its stream ends; the readers, once all ended.
 */
async function readThroughDisruption(runId: string, frames: number, disrupt: () => Promise<void>): Promise<StreamReader[]> {
  const bases = runs.bases();
  let seen = 0;
  let disrupting: Promise<void> | undefined;
  const startDisruption = (event: StreamedEvent) => {
    if (!disrupting && isPlannerText(event) && ++seen === frames) {
      disrupting = disrupt();
      // Awaited below; until then a failure must not count as unhandled.
      disrupting.catch(() => {});
    }
    return false;
  };
  const follow = async (base: string, first: boolean) => {
    const reader = new StreamReader();
    const refusals: string[] = [];
    while (!reader.ended) {
      try {
        await reader.read(eventsUrl(base, runId), { timeoutMs: 240_000, ...(first ? { stop: startDisruption } : {}) });
      } catch (err) {
        // Refused while a part it needs is down (a 5xx, or no answer): the client tries again.
        refusals.push((err as Error).message);
        assert.ok(refusals.length <= 60, `${base}: the stream comes back (refusals: ${refusals.slice(-3).join(' | ')})`);
      }
      if (!reader.ended) await delay(1_000);
    }
    return reader;
  };
  const readers = await Promise.all(bases.map((base, i) => follow(base, i === 0)));
  assert.ok(disrupting, 'the disruption happened while the planner was answering');
  await disrupting;
  return readers;
}

/** A run with a slow planner read through the proxy and on each API across `disrupt`: all end with exactly the run. */
async function runThroughDisruption(what: string, disrupt: () => Promise<void>): Promise<void> {
  slowPlanner(250);
  const runId = await startRun(cluster.proxy);
  const readers = await readThroughDisruption(runId, 3, disrupt);
  const log = await assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
  const bases = runs.bases();
  readers.forEach((reader, i) => assertExact(reader, log, `${what}: the client of ${bases[i]}`));
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

describe('the content-creation workflow on a Temporal cluster behind nginx', { skip }, () => {
  before(async () => {
    cluster = await startCluster({ name: 'content-creation' });
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

  it("the Temporal Web UI shows the run each API links to, through the cluster's frontend", async () => {
    const runId = await startRun(cluster.proxy);
    await pollUntilStatus(cluster.proxy, runId, 'COMPLETED');
    for (const base of [cluster.proxy, ...cluster.apis.map((api) => api.url)]) {
      const response = await fetch(runUrl(base, runId));
      const link = /<([^>]+)>; rel="temporal-ui"/.exec(response.headers.get('link') ?? '')?.[1];
      assert.equal(link, `${cluster.webUi.url}/namespaces/${cluster.temporal.namespace}/workflows/${runId}`, `the run's answer on ${base} links to it in the Web UI`);
      const page = await fetch(link!);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    }
    // The page's data: the UI server asks the cluster's frontend, as the browser's page does.
    const execution = await fetch(`${cluster.webUi.url}/api/v1/namespaces/${cluster.temporal.namespace}/workflows/${runId}`);
    assert.equal(execution.status, 200);
    const described = (await execution.json()) as { workflowExecutionInfo?: { execution?: { workflowId?: string }; status?: string } };
    assert.equal(described.workflowExecutionInfo?.execution?.workflowId, runId);
    assert.equal(described.workflowExecutionInfo?.status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');

    // Payloads as content: the UI is told the API's codec (through the proxy), which answers the UI's origin.
    const settings = (await (await fetch(`${cluster.webUi.url}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    assert.equal(settings.Codec?.Endpoint, `${cluster.proxy}/codec`);
    const { events } = await cluster.client.workflow.getHandle(runId).fetchHistory();
    const input = events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const payload = { metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])), data: Buffer.from(input.data!).toString('base64') };
    const decoded = await fetch(`${settings.Codec!.Endpoint}/decode`, { method: 'POST', headers: { origin: cluster.webUi.url, 'content-type': 'application/json', 'x-namespace': cluster.temporal.namespace }, body: JSON.stringify({ payloads: [payload] }) });
    assert.equal(decoded.status, 200);
    assert.equal(decoded.headers.get('access-control-allow-origin'), cluster.webUi.url);
    const [shown] = ((await decoded.json()) as { payloads: { data: string }[] }).payloads;
    assert.match(Buffer.from(shown!.data, 'base64').toString('utf8'), /"plan":\{"id":"content-creation-workflow"/);
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

  it('a failed run retried through the other API goes on from the failed step, and both APIs agree', async () => {
    const research = (req: FakeRequest) => ['leader', 'hackernews', 'finance'].includes(callerOf(req));
    cluster.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'error', status: 400, message: 'The planner refuses today.' } : contentCreationReply(req)));
    const [first, second] = cluster.apis as [(typeof cluster.apis)[0], (typeof cluster.apis)[0]];
    const runId = await startRun(first.url);
    const failed = await pollUntilStatus(cluster.proxy, runId, 'ERROR');
    assert.match(JSON.stringify(failed), /planner refuses/i, 'the run says why it failed');
    const failedLog = await assertSameEverywhere(runId, 'ERROR', 'WorkflowError');
    const researchCalls = cluster.openai.requests.filter(research).length;
    slowPlanner(20);
    const retried = await fetch(`${runUrl(second.url, runId)}/retry`, { method: 'POST' });
    assert.equal(retried.status, 202, await retried.text());
    await pollUntilStatus(first.url, runId, 'COMPLETED');
    const log = await assertSameEverywhere(runId, 'COMPLETED', 'WorkflowCompleted');
    assert.deepEqual(log.slice(0, failedLog.length), failedLog, 'the failed attempt stays as clients read it');
    assert.equal(log[failedLog.length]?.event, 'WorkflowStarted', 'the retry starts after it');
    assert.equal((log[failedLog.length] as { attempt?: number }).attempt, 2);
    assert.equal(cluster.openai.requests.filter(research).length, researchCalls, 'the research step is not run again');
  });

  it('a run cancelled through the other API ends, streamed on the first, the same on both', async () => {
    slowPlanner(200);
    const [first, second] = cluster.apis as [(typeof cluster.apis)[0], (typeof cluster.apis)[0]];
    const runId = await startRun(first.url);
    const reader = new StreamReader();
    let plannerFrames = 0;
    await reader.read(eventsUrl(first.url, runId), { stop: (event) => isPlannerText(event) && ++plannerFrames === 3 });
    const cancelled = await fetch(`${runUrl(second.url, runId)}/cancel?strict=true`, { method: 'POST' });
    assert.equal(cancelled.status, 200, await cancelled.text());
    await reader.read(eventsUrl(first.url, runId));
    assert.ok(reader.ended, 'the stream on the first API ended');
    const log = await assertSameEverywhere(runId, 'CANCELLED', 'WorkflowCancelled');
    assert.deepEqual(reader.log.map((event) => event.event_index), [...log.keys()], 'the client got every log event once, in order');
    assert.deepEqual(reader.text, StreamReader.textOfLog(log), "the client has exactly the log's text");
  });

  it('/runs and /sessions answer every filter the same through the proxy and on each API', async () => {
    slowPlanner(5);
    const tag = randomUUID().slice(0, 8);
    const [s1, s2] = [`s1-${tag}`, `s2-${tag}`];
    const [alice, bob] = [`alice-${tag}`, `bob-${tag}`];
    const a = await startRun(cluster.proxy, { session_id: s1, user_id: alice });
    const b = await startRun(cluster.proxy, { session_id: s1, user_id: bob });
    const c = await startRun(cluster.proxy, { session_id: s2, user_id: alice });
    for (const runId of [a, b, c]) await pollUntilStatus(cluster.proxy, runId, 'COMPLETED');
    const ours = new Set([a, b, c]);
    const ids = (runs: { run_id: string }[]) => runs.map((run) => run.run_id).filter((id) => ours.has(id));
    const expected: [string, string[]][] = [
      [`/runs?session_id=${s1}`, [b, a]],
      [`/runs?user_id=${alice}`, [c, a]],
      [`/runs?session_id=${s1}&user_id=${bob}`, [b]],
      [`/runs?workflow_id=${WF}&status=COMPLETED&user_id=${alice}`, [c, a]],
      [`/runs?status=ERROR&user_id=${alice}`, []],
      [`/runs?user_id=${alice}&limit=1`, [c]],
      [`/workflows/${WF}/runs?session_id=${s1}`, [b, a]],
      [`/workflows/${WF}/runs?user_id=${alice}&status=COMPLETED`, [c, a]],
      [`/sessions/${s1}/runs?user_id=${alice}`, [a]],
      [`/sessions/${s1}/runs?user_id=${bob}`, [b]],
    ];
    for (const base of runs.bases()) {
      for (const [path, runIds] of expected) {
        assert.deepEqual(ids(await getJson<{ run_id: string }[]>(`${base}${path}`)), runIds, `${base}${path}`);
      }
      type Sessions = { data: { session_id: string }[]; meta: { total_count: number } };
      const sessionIds = async (query: string) => (await getJson<Sessions>(`${base}/sessions?${query}`)).data.map((session) => session.session_id).sort();
      assert.deepEqual(await sessionIds(`user_id=${alice}`), [s1, s2].sort(), `${base}: alice's sessions`);
      assert.deepEqual(await sessionIds(`user_id=${bob}`), [s1], `${base}: bob's sessions`);
      assert.deepEqual(await sessionIds(`user_id=${alice}&component_id=${WF}&session_name=AI%20trends&sort_by=updated_at&sort_order=asc`), [s1, s2].sort(), `${base}: by name`);
      assert.deepEqual(await sessionIds(`user_id=${alice}&session_name=nothing-like-it`), [], `${base}: no such name`);
    }
    // Temporal's SQL visibility filters by our search attributes too (what the Web UI shows operators).
    const listed = await waitUntil('SQL visibility to list the runs by their search attributes', async () => {
      const found: string[] = [];
      for await (const execution of cluster.client.workflow.list({ query: `AgentSessionId = '${s1}' AND AgentRunStatus = 'COMPLETED' AND ExecutionStatus = 'Completed'` })) {
        found.push(execution.workflowId);
      }
      return found.length === 2 && found.sort();
    });
    assert.deepEqual(listed, [a, b].sort());
  });

  it('no process of ours logged an error it survived (back-fill on SQL visibility, the live lane, the run store)', () => {
    for (const part of [...cluster.workers, ...cluster.apis.map((api) => api.process)]) {
      assert.doesNotMatch(part.output(), /back-fill stopped|EventGapError|UnfillableGap|run store .*fail/i, `${part.name} said:\n${part.output().slice(-4000)}`);
    }
  });

  // Below, parts every process depends on go down mid-run: errors they log and survive are expected.

  it('the Temporal server restarted mid-run with streams open: the run completes, every stream ends with exactly the run', async () => {
    await runThroughDisruption('across a Temporal restart', () => cluster.temporal.restart());
  });

  it('Redis stopped and started mid-run: streams fall back to the durable log and catch up', async () => {
    await runThroughDisruption('across Redis down', async () => {
      await cluster.redis.kill();
      // Down long enough for the planner's answer to go on without the live lane.
      await delay(3_000);
      await cluster.redis.restart();
    });
    for (const part of [...cluster.workers, ...cluster.apis.map((api) => api.process)]) {
      assert.match(part.output(), /live lane: Redis .* is unavailable[^]*live lane: Redis .* is back/, `${part.name} lost Redis and found it again:\n${part.output().slice(-2000)}`);
    }
  });

  it('PostgreSQL restarted mid-run (Temporal and the run store): reads resume and nothing is lost', async () => {
    await runThroughDisruption('across a PostgreSQL restart', () => cluster.postgres.restart());
    // Reads and lists answer again on every API.
    for (const base of runs.bases()) {
      assert.ok((await getJson<unknown[]>(`${base}/workflows/${WF}/runs`)).length > 0, `${base}: runs are listed`);
    }
  });
});
