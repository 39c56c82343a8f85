/**
 * Sessions' queues under load, through a worker crash: RUNS content-creation runs submitted at
 * once over SESSIONS sessions (the engine's start with `enqueue`, as the API's default), executed
 * by a worker child process that gets SIGKILL once a third of the runs have ended; a new worker
 * is started at once. Checked: every run completes, each started once (one Temporal execution
 * per run id), each after the run before it in its session closed. Measured: the time to drain,
 * the hand-off (a run closes → the next of its session starts, Temporal's own clock) and how many
 * runs executed at once at most (MAX_CONCURRENCY holds them, default 32).
 *
 *   node bench/session-queue.ts [--runs 1000] [--sessions 100] [--latency 50] [--max-concurrency 32]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { printMachine, printTable, round, startWorkerProcess, stopWorkerProcess, summarize, withLatency } from './stats.ts';
import type { WorkerProcess } from './stats.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '1000' }, sessions: { type: 'string', default: '100' }, latency: { type: 'string', default: '50' }, 'max-concurrency': { type: 'string', default: '32' } },
});
const RUNS = Number(values.runs);
const SESSIONS = Number(values.sessions);
const LATENCY = Number(values.latency);

const h = await startHarness();
const workers: WorkerProcess[] = [];
try {
  h.openai.setHandler((req) => withLatency(contentCreationReply(req), LATENCY));
  const env = { ...h.env, MAX_CONCURRENCY: values['max-concurrency'] };
  workers.push(await startWorkerProcess(env));
  const plan = contentCreationWorkflow.toPlan();
  const sessions = Array.from({ length: SESSIONS }, (_, s) => `bench-session-${s}-${Date.now()}`);
  const submitted = new Map<string, string[]>(sessions.map((session) => [session, []]));
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const session = sessions[i % SESSIONS]!;
    const { output } = await h.engine.startRun(plan, { input: `AI trends, run ${i}`, sessionId: session, multitaskStrategy: 'enqueue' });
    submitted.get(session)!.push(output.run_id);
  }
  const submittedMs = performance.now() - started;
  const runIds = [...submitted.values()].flat();
  let ended = 0;
  const waits = runIds.map((runId) => h.engine.waitForRun(runId).then((output) => ((ended += 1), output)));
  while (ended < RUNS / 3) await new Promise((resolve) => setTimeout(resolve, 200));
  workers[0]!.child.kill('SIGKILL');
  const killedAt = ended;
  workers.push(await startWorkerProcess(env));
  const outputs = await Promise.all(waits);
  const drainedMs = performance.now() - started;

  const failed = outputs.filter((output) => output.status !== 'COMPLETED' || output.content !== CONTENT_PLAN).length;
  const handOffs: number[] = [];
  const spans: [number, number][] = [];
  let startedTwice = 0;
  let outOfOrder = 0;
  for (const runIds of submitted.values()) {
    let previousClose: number | undefined;
    for (const runId of runIds) {
      let executions = 0;
      for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${runId}'` })) executions += 1;
      if (executions !== 1) startedTwice += 1;
      const { startTime, closeTime } = await h.engine.client.workflow.getHandle(runId).describe();
      if (previousClose !== undefined) {
        if (startTime.getTime() < previousClose) outOfOrder += 1;
        handOffs.push(startTime.getTime() - previousClose);
      }
      previousClose = closeTime!.getTime();
      spans.push([startTime.getTime(), previousClose]);
    }
  }
  // Runs executing at once, at most: a sweep over the runs' start and close times.
  const edges = spans.flatMap(([start, close]) => [[start, 1], [close, -1]] as [number, number][]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let mostAtOnce = 0;
  for (const [, step] of edges) mostAtOnce = Math.max(mostAtOnce, (open += step));
  const handOff = summarize(handOffs);

  printMachine();
  printTable([
    { runs: RUNS, sessions: SESSIONS, 'killed after': killedAt, 'submit s': submittedMs / 1000, 'drain s': drainedMs / 1000, 'runs/s': RUNS / (drainedMs / 1000), 'hand-off p50 ms': handOff.p50, 'hand-off p99 ms': handOff.p99, 'most at once': mostAtOnce, failed, 'started twice': startedTwice, 'out of order': outOfOrder },
  ]);
  console.log(JSON.stringify({ bench: 'session-queue', runs: RUNS, sessions: SESSIONS, drainedSeconds: round(drainedMs / 1000), handOffP50Ms: handOff.p50, handOffP99Ms: handOff.p99, mostAtOnce, failed, startedTwice, outOfOrder }));
  if (failed || startedTwice || outOfOrder) process.exitCode = 1;
} finally {
  for (const worker of workers) await stopWorkerProcess(worker).catch(() => undefined);
  await h.close();
}
