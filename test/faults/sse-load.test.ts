/**
 * SSE under load: 1,000 concurrent `EventSource`-style clients over 50 running runs (20 each, on
 * `GET /workflows/{id}/runs/{run_id}/events`), plus 50 clients polling each run at 10 Hz, while
 * the fake model streams tokens for several seconds. Real HTTP on loopback to the production
 * server (`serveApi`, with its default listen backlog) in a thread of its own, as an API process
 * runs beside its workers: its own event loop, Temporal connection and run store connection, token
 * deltas from the worker through a real Redis. Real worker and Temporal dev server.
 *
 * Every client gets a 200 stream that ends with the terminal event, and sees every event of its
 * run exactly once, identical to the run's log read afterwards; the API keeps one tail per run
 * (never more than 50) and drops them after the linger time; its heap comes back down. The run
 * store answers every stream and poll: no workflow query reaches a worker meanwhile.
 *
 * The API's thread runs at a higher scheduling priority than the rest (SSE_LOAD_API_NICE, default
 * -20; 0 for equal): an API with a CPU of its own, as it has in production. At equal priority on
 * a 2-core machine its clients mostly waited for the CPU the clients and the worker held (see
 * ./support/thread-priority.ts and docs/performance.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { RunEvent } from '../../src/contracts/events.ts';
import { liveLaneConfigFromEnv, openLiveLane, setDefaultLiveLane } from '../../src/live/config.ts';
import type { LiveLane } from '../../src/live/lane.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';
import { redisMissing, startRedis } from '../live/support/redis-server.ts';
import type { RedisServer } from '../live/support/redis-server.ts';
import type { ApiThreadInput, ApiThreadMessage, ApiThreadRequest, ApiThreadStats } from './support/api-thread.ts';
import { writer } from './support/load-writer.ts';
import { prioritizeThread } from './support/thread-priority.ts';
import { readSse } from './support/sse-client.ts';
import type { SseResult } from './support/sse-client.ts';
import { compareStream } from './support/sse-compare.ts';
import type { SseWorkerInput } from './support/sse-worker.ts';

const RUNS = 50;
const CLIENTS_PER_RUN = 20;
const POLL_HZ = 10;
/** The SSE clients run in worker threads, off the event loop of the server under test. */
const CLIENT_THREADS = 2;
/** The model answers each run with this many words, one chunk each, CHUNK_DELAY_MS apart (~6 s). */
const WORDS = 60;
const CHUNK_DELAY_MS = 100;
const LINGER_MS = 1500;
/** The API thread's nice value (see the module's comment). */
const API_NICE = Number(process.env.SSE_LOAD_API_NICE ?? -20);
const API_THREAD_NAME = 'sse-load-api';
const HEAP_BOUND_MB = 200;

/** Each run gets its own answer, so a client given another run's events would be caught. */
function answerFor(input: string): string {
  return Array.from({ length: WORDS }, (_, i) => `${input}-w${i}`).join(' ');
}

/** Linux's count of connections dropped because a listen queue was full (all sockets of the host), if readable. */
function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0]!.split(/\s+/);
    const values = lines[1]!.split(/\s+/);
    const value = Number(values[names.indexOf('ListenOverflows')]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

// Skipped, loudly, on a machine without Redis; in CI (test/support/ci.ts) it fails without it.
const skip = skipWithoutTool('SSE under load (test/faults/sse-load.test.ts)', redisMissing());

let h: Harness;
let redis: RedisServer;
let lane: LiveLane | undefined;
let api: Worker | undefined;
let base: URL;
/** The API thread's priority, as set: `nice -20`, or why it runs at equal priority. */
let apiPriority = 'equal priority';

/** Sends the API thread a request and resolves with its answer (the next message of that kind). */
function ask<K extends ApiThreadMessage['kind']>(request: ApiThreadRequest, kind: K): Promise<Extract<ApiThreadMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ApiThreadMessage) => {
      if (message.kind !== kind) return;
      api!.off('message', onMessage);
      api!.off('error', reject);
      resolve(message as Extract<ApiThreadMessage, { kind: K }>);
    };
    api!.on('message', onMessage);
    api!.once('error', reject);
    api!.postMessage(request);
  });
}
const stats = (): Promise<ApiThreadStats> => ask({ kind: 'stats' }, 'stats');

before(async () => {
  if (skip) return;
  h = await startHarness();
  redis = await startRedis();
  const env = { ...h.env, REDIS_URL: redis.url, LIVE_LANE: 'redis' };
  // The worker (in this thread) publishes token deltas to Redis, where the API thread follows them.
  lane = openLiveLane(liveLaneConfigFromEnv(env));
  setDefaultLiveLane(lane);
  await h.startWorker([writer], { env });
  const input: ApiThreadInput = { env, lingerMs: LINGER_MS };
  api = new Worker(new URL('./support/api-thread.ts', import.meta.url), { workerData: input, name: API_THREAD_NAME });
  const ready = await new Promise<Extract<ApiThreadMessage, { kind: 'ready' }>>((resolve, reject) => {
    api!.once('message', resolve);
    api!.once('error', reject);
    api!.once('exit', (code) => reject(new Error(`The API thread exited (${code}) before it was ready`)));
  });
  base = new URL(ready.url);
  if (API_NICE !== 0) apiPriority = prioritizeThread(API_THREAD_NAME, API_NICE);
  h.openai.setHandler((req) => ({ kind: 'text', text: answerFor(req.lastUserText), chunkDelayMs: CHUNK_DELAY_MS, delayMs: 200 }));
});
after(async () => {
  if (api) await ask({ kind: 'close' }, 'closed').catch(() => undefined);
  await api?.terminate();
  await h?.close();
  await lane?.close();
  await redis?.close();
});

/** Workflow queries the API sent so far, by name: reads of runs the store holds send none. */
const queriesByName = async () => new Map((await stats()).queries);

async function startRun(message: string): Promise<string> {
  const response = await fetch(new URL(`/workflows/${writer.id}/runs`, base), {
    method: 'POST',
    body: new URLSearchParams({ message, stream: 'false', background: 'true' }),
  });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

interface PollStats {
  requests: number;
  failures: string[];
  statuses: string[];
  slowestMs: number;
}

/** Polls the run at `hz` until it has ended (or `stop` aborts), recording every answer. */
async function poll(runId: string, hz: number, agent: http.Agent, stop: AbortSignal): Promise<PollStats> {
  const stats: PollStats = { requests: 0, failures: [], statuses: [], slowestMs: 0 };
  const period = 1000 / hz;
  while (!stop.aborted) {
    const started = performance.now();
    stats.requests += 1;
    const answer = await new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
      const req = http.get({ host: base.hostname, port: base.port, path: `/workflows/${writer.id}/runs/${runId}`, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (err) => resolve({ error: err.message }));
      });
      req.on('error', (err) => resolve({ error: err.message }));
    });
    const ms = performance.now() - started;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if ('error' in answer) stats.failures.push(answer.error);
    else if (answer.status !== 200) stats.failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
    else {
      const status = (JSON.parse(answer.body) as { status: string }).status;
      if (stats.statuses.at(-1) !== status) stats.statuses.push(status);
      if (['COMPLETED', 'ERROR', 'CANCELLED'].includes(status)) break;
    }
    await delay(Math.max(0, period - ms));
  }
  return stats;
}

it(`streams ${RUNS * CLIENTS_PER_RUN} SSE clients over ${RUNS} runs, each event once, one tail per run, bounded memory`, { timeout: 240_000, skip }, async (t) => {
  // Warm up (workflow bundle, caches, JIT) so the baseline heap is the steady state.
  const warm = await startRun('warm');
  const warmClient = await readSse(base, `/workflows/${writer.id}/runs/${warm}/events`);
  assert.equal(warmClient.ended, 'end');
  await delay(LINGER_MS + 1000);
  const heapBefore = (await ask({ kind: 'gc' }, 'heap')).heapMb;

  const overflowsBefore = listenOverflows();
  const before = await stats(); // Its peaks count from here on.
  const queriesBefore = new Map(before.queries);
  const started = performance.now();
  const runIds = await Promise.all(Array.from({ length: RUNS }, (_, i) => startRun(`run${i}`)));
  const pollAgent = new http.Agent({ keepAlive: true, maxSockets: RUNS });

  let clientsDone = 0;

  const stopPolling = new AbortController();
  const pollers = runIds.map((id) => poll(id, POLL_HZ, pollAgent, stopPolling.signal));
  // Client i reads run floor(i / CLIENTS_PER_RUN); thread t gets clients t, t + THREADS, ...
  const paths = runIds.flatMap((id) => Array.from({ length: CLIENTS_PER_RUN }, () => `/workflows/${writer.id}/runs/${id}/events`));
  const perThread = await Promise.all(
    Array.from({ length: CLIENT_THREADS }, (_, t) => {
      const input: SseWorkerInput = { base: base.href, paths: paths.filter((_, i) => i % CLIENT_THREADS === t), timeoutMs: 90_000 };
      const worker = new Worker(new URL('./support/sse-worker.ts', import.meta.url), { workerData: input });
      return new Promise<SseResult[]>((resolve, reject) => {
        worker.once('message', (results: SseResult[]) => resolve(results));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`SSE client thread exited (${code}) before answering`)));
      });
    }),
  );
  const results: SseResult[] = paths.map((_, i) => perThread[i % CLIENT_THREADS]![Math.floor(i / CLIENT_THREADS)]!);
  clientsDone = performance.now();
  const streamedMs = clientsDone - started;
  const during = await stats();
  const tailsAtEnd = during.tails;
  const maxTails = during.maxTails;
  const maxHeap = during.maxHeapMb;
  const describes = during.describes - before.describes;
  const overflows = overflowsBefore === undefined ? undefined : (listenOverflows() ?? 0) - overflowsBefore;
  // The runs have ended (their clients saw the terminal event): pollers stop on their own soon.
  const pollTimeout = setTimeout(() => stopPolling.abort(), 10_000);
  const polls = await Promise.all(pollers);
  clearTimeout(pollTimeout);
  pollAgent.destroy();
  // Every query name the streams and polls sent (`eventPage`, `events`, `state`, ...), with how many.
  const queriesDuring = [...(await queriesByName())].map(([name, n]) => [name, n - (queriesBefore.get(name) ?? 0)] as const).filter(([, n]) => n > 0);
  const eventQueries = queriesDuring.reduce((sum, [, n]) => sum + n, 0);

  // Each run's full log, read once through the engine after completion.
  const logs = new Map<string, RunEvent[]>();
  for (const id of runIds) logs.set(id, await collectEvents(h.engine, id, -1, 30_000));
  const problems: string[] = [];
  let frames = 0;
  results.forEach((result, i) => {
    const runId = runIds[Math.floor(i / CLIENTS_PER_RUN)]!;
    frames += result.frames.length;
    const problem = compareStream(result, logs.get(runId)!);
    if (problem) problems.push(`client ${i} of run ${runId}: ${problem}`);
  });
  for (const [i, log] of [...logs.values()].entries()) {
    if (log.at(-1)?.event !== 'WorkflowCompleted') problems.push(`run ${runIds[i]} ended with ${log.at(-1)?.event}`);
    const text = log.filter((e) => e.event === 'RunContent').map((e) => String((e as { content?: unknown }).content ?? '')).join('');
    if (text !== answerFor(`run${i}`)) problems.push(`run ${runIds[i]}: the streamed text is not the model's answer`);
  }
  const pollRequests = polls.reduce((sum, p) => sum + p.requests, 0);
  const pollFailures = polls.flatMap((p) => p.failures);
  for (const [i, p] of polls.entries()) {
    if (p.statuses.at(-1) !== 'COMPLETED') problems.push(`poller of run ${runIds[i]} last saw ${p.statuses.at(-1)}`);
    // A run's status only moves forward: PENDING, RUNNING, COMPLETED (any may be missed between polls).
    const order = ['PENDING', 'RUNNING', 'COMPLETED'];
    const ranks = p.statuses.map((status) => order.indexOf(status));
    if (ranks.some((rank, j) => rank < 0 || (j > 0 && rank <= ranks[j - 1]!))) problems.push(`poller of run ${runIds[i]} saw ${p.statuses.join(' → ')}`);
  }

  const events = [...logs.values()].reduce((sum, log) => sum + log.length, 0);
  const headersMs = results.map((r) => r.headersMs).sort((a, b) => a - b);
  const connectedMs = results.map((r) => r.connectedMs).sort((a, b) => a - b);
  const firstFrameMs = results.map((r) => r.firstFrameMs).sort((a, b) => a - b);
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
  t.diagnostic(`time to response headers over ${headersMs.length} clients: p50 ${pct(headersMs, 50).toFixed(0)} ms, p99 ${pct(headersMs, 99).toFixed(0)} ms, max ${headersMs.at(-1)!.toFixed(0)} ms`);
  t.diagnostic(`time to the first frame: p50 ${pct(firstFrameMs, 50).toFixed(0)} ms, p99 ${pct(firstFrameMs, 99).toFixed(0)} ms`);
  t.diagnostic(`workflow queries while streaming: ${eventQueries}${queriesDuring.length ? ` (${queriesDuring.map(([name, n]) => `${name} ${n}`).join(', ')})` : ''}`);
  // Let go of everything the clients held; the tails go once their linger time is over.
  results.length = 0;
  logs.clear();
  // A miss is reported below, with the figures.
  let tailsGone = 0;
  await waitUntil('the tails to go after their linger time', async () => (await stats()).tails === 0 && (tailsGone = performance.now()) > 0, { timeoutMs: LINGER_MS + 10_000 }).catch(() => undefined);
  const tailsGoneMs = tailsGone ? tailsGone - clientsDone : -1;
  await delay(200);
  const heapAfter = (await ask({ kind: 'gc' }, 'heap')).heapMb;

  console.log(
    [
      `sse-load: ${RUNS} runs × ${CLIENTS_PER_RUN} clients = ${RUNS * CLIENTS_PER_RUN} SSE streams, ${events} events (${(events / RUNS).toFixed(0)} per run), ${frames} frames delivered`,
      `  all streams done in ${(streamedMs / 1000).toFixed(1)} s; per client: TCP connection p50 ${pct(connectedMs, 50).toFixed(0)} ms, headers p50 ${headersMs[headersMs.length >> 1]?.toFixed(0)} ms, p99 ${pct(headersMs, 99).toFixed(0)} ms, max ${headersMs.at(-1)?.toFixed(0)} ms; first frame p50 ${firstFrameMs[firstFrameMs.length >> 1]?.toFixed(0)} ms, max ${firstFrameMs.at(-1)?.toFixed(0)} ms`,
      `  pollers: ${pollRequests} requests (${(pollRequests / (streamedMs / 1000)).toFixed(0)}/s for ${RUNS * POLL_HZ}/s asked), slowest ${Math.max(...polls.map((p) => p.slowestMs)).toFixed(0)} ms, ${pollFailures.length} failures`,
      `  tails: max ${maxTails} while streaming, ${tailsAtEnd} when the last client finished, 0 after ${tailsGoneMs.toFixed(0)} ms (linger ${LINGER_MS} ms); ${eventQueries} workflow queries and ${describes} describes of executions while streaming`,
      `  heap: ${heapBefore.toFixed(1)} MB before, peak ${maxHeap.toFixed(1)} MB, ${heapAfter.toFixed(1)} MB after (${(heapAfter - heapBefore >= 0 ? '+' : '') + (heapAfter - heapBefore).toFixed(1)} MB)`,
      `  model requests ${h.openai.count()}; listen queue overflows on the host meanwhile: ${overflows ?? 'n/a'}; load average ${loadavg()[0]!.toFixed(1)}; API thread at ${apiPriority}; problems ${problems.length}`,
    ].join('\n'),
  );

  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems (listen queue overflows on the host: ${overflows ?? 'n/a'})`);
  assert.deepEqual(pollFailures.slice(0, 20), [], `${pollFailures.length} failed polls`);
  assert.ok(maxTails >= 1 && maxTails <= RUNS, `one tail per run: saw ${maxTails} tails for ${RUNS} runs`);
  // The store answers every read of these runs (streams and polls alike): no `eventPage`, `events` or `state` query reaches a worker.
  assert.deepEqual(queriesDuring, [], `workflow queries sent while ${RUNS * CLIENTS_PER_RUN} clients streamed and ${RUNS} pollers polled`);
  assert.ok(tailsGoneMs >= 0, `tails still alive ${LINGER_MS + 10_000} ms after the last client left: ${(await stats()).tails}`);
  assert.ok(heapAfter - heapBefore < HEAP_BOUND_MB, `heap grew by ${(heapAfter - heapBefore).toFixed(1)} MB`);
});
