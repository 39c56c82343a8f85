/**
 * Throughput on the production topology, beside the same topology on the Temporal dev server:
 * the cluster of `npm run test:cluster` (test/cluster/support/cluster.ts: PostgreSQL for Temporal's
 * store, its SQL visibility and our run store, Redis for the live lane, moto's S3 for blobs, two
 * workers and two APIs as `npm run worker` / `npm run server`, nginx in front) with the real
 * Temporal server, then with `temporal server start-dev` (in memory) in its place, all else the same.
 *
 * N content-creation runs (7 model calls, 2 tool calls each; the fake model answers each call
 * after `--latency` ms, streaming its text) are started at once through nginx, each by a client
 * that reads the run's SSE answer: time to the first token and to the terminal event, from just
 * before its POST (./streamed-run.ts). Per topology: runs/s (first POST → last run ended), those
 * times' p50/p99, CPU seconds and peak memory of each process tree (./process-usage.ts), and
 * Temporal's persistence latency from its own metrics (./temporal-persistence.ts); afterwards, the
 * runs' histories (length, workflow tasks that timed out on a saturated worker). This process
 * (the fakes and the clients) and the rest of the machine are reported too: on a shared machine a
 * disturbed measurement shows as `other CPU s`.
 *
 *   node bench/cluster-throughput.ts [--runs 200] [--latency 250] [--topology both|dev-server|server] [--timeout 600]
 *
 * Needs what `npm run test:cluster` needs (it builds the Temporal server the first time:
 * `bash scripts/build-temporal-server.sh`).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { clusterMissing, startCluster } from '../test/cluster/support/cluster.ts';
import type { Cluster } from '../test/cluster/support/cluster.ts';
import { CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { measureProcesses } from './process-usage.ts';
import type { MeasuredProcess, ProcessUsage } from './process-usage.ts';
import { machine, machineBusySeconds, printMachine, printTable, round, summarize, withLatency } from './stats.ts';
import { streamedRun } from './streamed-run.ts';
import type { StreamedRun } from './streamed-run.ts';
import { persistenceBetween, persistenceSnapshot } from './temporal-persistence.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    latency: { type: 'string', default: '250' },
    topology: { type: 'string', default: 'both' },
    timeout: { type: 'string', default: '600' },
  },
});
const RUNS = Number(values.runs);
const LATENCY_MS = Number(values.latency);
const TIMEOUT_MS = Number(values.timeout) * 1000;
const TOPOLOGIES = { both: ['dev-server', 'server'], 'dev-server': ['dev-server'], server: ['server'] } as const;
const topologies = TOPOLOGIES[values.topology as keyof typeof TOPOLOGIES];
if (!topologies) throw new Error(`--topology must be ${Object.keys(TOPOLOGIES).join(', ')}`);
const missing = clusterMissing();
if (missing) throw new Error(`the cluster cannot run here: ${missing}`);

const WF = contentCreationWorkflow.id;
const MESSAGE = 'AI trends in 2024';
const WARM_UP_RUNS = 3;
type Topology = (typeof topologies)[number];

/** The process trees measured: Temporal's, PostgreSQL's (postmaster and backends), ours (the node process each), Redis, nginx. */
function processesOf(cluster: Cluster): MeasuredProcess[] {
  return [
    { name: 'Temporal server', pid: () => cluster.temporal.pid() },
    { name: 'PostgreSQL', pid: () => cluster.postgres.pid() },
    ...cluster.workers.map((worker) => ({ name: worker.name, pid: () => worker.servingPid() })),
    ...cluster.apis.map((api) => ({ name: api.process.name, pid: () => api.process.servingPid() })),
    { name: 'Redis', pid: () => cluster.redis.child.pid },
    { name: 'nginx', pid: () => cluster.nginx.pid },
  ];
}

/**
 * The completed runs' histories, read after the measurement: their length, and the workflow tasks
 * that timed out, which a saturated worker causes (a task left on a worker's sticky queue past its
 * schedule-to-start timeout goes to the shared queue, and the worker that takes it replays the
 * whole history).
 */
async function historiesOf(cluster: Cluster, runs: readonly StreamedRun[]) {
  const lengths: number[] = [];
  let timedOutTasks = 0;
  let runsWithTimeouts = 0;
  for (const run of runs) {
    const events = (await cluster.client.workflow.getHandle(run.runId).fetchHistory()).events ?? [];
    const timedOut = events.filter((event) => event.workflowTaskTimedOutEventAttributes).length;
    lengths.push(events.length);
    timedOutTasks += timedOut;
    if (timedOut) runsWithTimeouts += 1;
  }
  return { eventsP50: summarize(lengths).p50, timedOutTasks, runsWithTimeouts };
}

async function measure(topology: Topology) {
  const started = performance.now();
  const cluster = await startCluster({ name: `bench-throughput-${topology}`, temporal: topology, log: (line) => console.log(`[${topology}] ${line}`) });
  try {
    console.log(`[${topology}] cluster up in ${round((performance.now() - started) / 1000)} s`);
    cluster.openai.setHandler((req) => withLatency(contentCreationReply(req), LATENCY_MS));
    // Warm-up: each worker has run the workflow code, each API streamed a run, the JIT is warm.
    for (let i = 0; i < WARM_UP_RUNS; i++) await streamedRun(cluster.proxy, WF, MESSAGE, AbortSignal.timeout(120_000));
    await delay(1000);

    const persistenceBefore = await persistenceSnapshot(cluster.temporal.metricsUrl);
    const meter = measureProcesses(processesOf(cluster));
    const self0 = process.cpuUsage();
    const machine0 = machineBusySeconds();
    const runs: StreamedRun[] = [];
    const errors = new Map<string, number>();
    const began = performance.now();
    const elapsed = () => round((performance.now() - began) / 1000);
    const progress = setInterval(() => {
      const failed = [...errors.values()].reduce((a, b) => a + b, 0);
      console.log(`[${topology}] ${elapsed()} s: ${runs.length + failed}/${RUNS} ended (${failed} failed)`);
    }, 5000);
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    await Promise.all(
      Array.from({ length: RUNS }, async () => {
        try {
          const run = await streamedRun(cluster.proxy, WF, MESSAGE, signal);
          if (run.content !== CONTENT_PLAN) throw new Error(`a run ended with ${JSON.stringify(run.content).slice(0, 100)}`);
          runs.push(run);
        } catch (err) {
          const reason = (err as Error).message.slice(0, 160);
          errors.set(reason, (errors.get(reason) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    clearInterval(progress);
    const usage = meter.stop();
    const self = process.cpuUsage(self0);
    const machineCpu = machineBusySeconds() - machine0;
    // The server reports its metrics about once a second.
    await delay(2000);
    const persistence = persistenceBetween(persistenceBefore, await persistenceSnapshot(cluster.temporal.metricsUrl));
    console.log(`[${topology}] ${runs.length}/${RUNS} completed in ${round(seconds)} s${errors.size ? `; failures: ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
    const histories = await historiesOf(cluster, runs);
    return { topology, seconds, runs, errors, usage, benchCpu: (self.user + self.system) / 1e6, machineCpu, persistence, histories };
  } finally {
    // What would not close is said, and the figures still printed.
    await cluster.close().catch((err: unknown) => console.error(`[${topology}] closing the cluster:`, err));
  }
}

printMachine();
console.log(`${RUNS} content-creation runs at once through nginx, streamed, model latency ${LATENCY_MS} ms; topologies: ${topologies.join(', ')}`);
const results: Awaited<ReturnType<typeof measure>>[] = [];
const benchBegan = performance.now();
for (const topology of topologies) results.push(await measure(topology));

const summaryRows = results.map((r) => {
  const ttft = summarize(r.runs.map((run) => run.firstTokenMs));
  const duration = summarize(r.runs.map((run) => run.durationMs));
  const processCpu = r.usage.reduce((a, u) => a + u.cpuSeconds, 0);
  return {
    topology: r.topology,
    runs: RUNS,
    completed: r.runs.length,
    failed: RUNS - r.runs.length,
    'wall s': round(r.seconds),
    'runs/s': round(r.runs.length / r.seconds),
    'TTFT p50 ms': round(ttft.p50),
    'TTFT p99 ms': round(ttft.p99),
    'run p50 s': round(duration.p50 / 1000),
    'run p99 s': round(duration.p99 / 1000),
    'cluster CPU s': round(processCpu),
    'bench CPU s': round(r.benchCpu),
    'other CPU s': round(Math.max(0, r.machineCpu - processCpu - r.benchCpu)),
    'persistence calls': r.persistence.all.calls,
    'persist. mean ms': round(r.persistence.all.meanMs),
    'persist. p50 ms': round(r.persistence.all.p50Ms),
    'persist. p99 ms': round(r.persistence.all.p99Ms),
    'history events p50': r.histories.eventsP50,
    'wf tasks timed out': r.histories.timedOutTasks,
    'runs with one': r.histories.runsWithTimeouts,
  };
});
const processRows = (r: (typeof results)[number]) =>
  r.usage.map((u: ProcessUsage) => ({
    topology: r.topology,
    process: u.name,
    processes: u.processes,
    'CPU s': round(u.cpuSeconds),
    'CPU ms/run': round((1000 * u.cpuSeconds) / Math.max(1, r.runs.length)),
    'CPU % of a core': round((100 * u.cpuSeconds) / r.seconds),
    'peak RSS MB': round(u.peakRssMb),
    'peak PSS MB': round(u.peakPssMb),
  }));
const persistenceRows = (r: (typeof results)[number]) =>
  r.persistence.operations.slice(0, 10).map((op) => ({
    topology: r.topology,
    operation: op.operation,
    calls: op.calls,
    'per run': round(op.calls / Math.max(1, r.runs.length)),
    'mean ms': round(op.meanMs),
    'p50 ms': round(op.p50Ms),
    'p99 ms': round(op.p99Ms),
    'total s': round(op.totalMs / 1000),
  }));

console.log();
printTable(summaryRows);
console.log();
printTable(results.flatMap(processRows));
console.log('CPU: utime + stime of the process tree during the runs; RSS: the tree summed (shared pages once per process); PSS: shared pages divided among their sharers.');
console.log();
printTable(results.flatMap(persistenceRows));
console.log(`Temporal persistence_latency by operation, most time first (10 at most); quantiles from the histogram's buckets. Bench wall time ${round((performance.now() - benchBegan) / 1000)} s.`);
console.log(
  JSON.stringify({
    bench: 'cluster-throughput',
    ...machine(),
    runs: RUNS,
    latencyMs: LATENCY_MS,
    workflow: 'content-creation',
    rows: summaryRows,
    processes: results.flatMap(processRows),
    persistence: results.flatMap((r) => r.persistence.operations.map((op) => ({ topology: r.topology, ...op }))),
    failures: Object.fromEntries(results.map((r) => [r.topology, Object.fromEntries(r.errors)])),
  }),
);
