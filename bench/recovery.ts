/**
 * Recovery from a worker crash. A content-creation run executes on a worker child process (the
 * real entry point, `node src/entrypoints/worker.ts`); 50 ms into the Hacker News agent's first
 * model call (the finance agent's is in flight too) the worker gets SIGKILL, and a new worker
 * process is started at once. Measured, per trial:
 *
 * - kill → new worker ready: process start, imports, workflow bundling, connecting (it prints
 *   `worker ready` once it polls);
 * - ready → next activity completed: the first ActivityTaskCompleted of the run after the kill
 *   (its server timestamp); the killed attempts are only given up after the heartbeat timeout,
 *   then retried after the retry policy's first interval (1 s);
 * - kill → run completed, and how much longer the run took than an uninterrupted one;
 * - sticky: the workflow's tasks were cached on the dead worker (its sticky queue), so the first
 *   workflow task after the crash can wait for the sticky schedule-to-start timeout (10 s).
 *
 * With the heartbeat timeout the run asks for (`timeouts: { heartbeatTimeoutMs }`) and once with
 * the default (10 s). Model latency 250 ms.
 *
 *   node bench/recovery.ts [--trials 3] [--heartbeat 2000] [--skip-default]
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import type { ActivityTimeouts } from '../src/contracts/plan.ts';
import { DEFAULT_TIMEOUTS } from '../src/workflows/activity-proxies.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { machine, printMachine, printTable, round, startWorkerProcess, stopWorkerProcess, summarize, withLatency } from './stats.ts';
import type { WorkerProcess } from './stats.ts';

const { values } = parseArgs({
  options: { trials: { type: 'string', default: '3' }, heartbeat: { type: 'string', default: '2000' }, 'skip-default': { type: 'boolean', default: false } },
});
const TRIALS = Number(values.trials);
const HEARTBEAT_MS = Number(values.heartbeat);
const LATENCY = 250;
const KILL_AFTER_MS = 50;
const RUN_TIMEOUT_MS = 90_000;

const h = await startHarness();
let worker: WorkerProcess | undefined;
try {
  let armed: (() => void) | undefined;
  h.openai.setHandler((req) => {
    if (armed && callerOf(req) === 'hackernews' && req.toolResults.length === 0) {
      const fire = armed;
      armed = undefined;
      setTimeout(fire, KILL_AFTER_MS);
    }
    return withLatency(contentCreationReply(req), LATENCY);
  });
  worker = await startWorkerProcess(h.env);

  const timestamp = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

  async function runOnce(timeouts: ActivityTimeouts) {
    const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024', timeouts });
    return output.run_id;
  }
  async function finish(runId: string): Promise<void> {
    const timeout = delay(RUN_TIMEOUT_MS, 'timeout' as const, { ref: false });
    const state = await Promise.race([h.engine.client.workflow.getHandle(runId).result() as Promise<{ content?: string }>, timeout]);
    if (state === 'timeout') throw new Error(`run ${runId} did not complete within ${RUN_TIMEOUT_MS} ms`);
    if (state.content !== CONTENT_PLAN) throw new Error(`run ${runId} ended with ${JSON.stringify(state.content)}`);
  }

  /** An uninterrupted run's duration with these timeouts (start call → result). */
  async function baseline(timeouts: ActivityTimeouts): Promise<number> {
    const t0 = performance.now();
    await finish(await runOnce(timeouts));
    return performance.now() - t0;
  }

  async function trial(timeouts: ActivityTimeouts) {
    const killed = new Promise<void>((resolve) => (armed = resolve));
    const t0 = performance.now();
    const runId = await runOnce(timeouts);
    const noKill = await Promise.race([killed.then(() => false), delay(30_000, true, { ref: false })]);
    if (noKill) throw new Error('the kill point (the Hacker News agent’s first model call) was never reached');
    const old = worker!;
    const killWall = Date.now();
    const killAt = performance.now();
    old.child.kill('SIGKILL');
    worker = await startWorkerProcess(h.env);
    const readyAt = worker.readyAt;

    // The run's first activity completed after the kill, from its history (server timestamps).
    let nextWall: number | undefined;
    for (let polls = 0; nextWall === undefined && polls < 2000; polls++) {
      const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
      const completed = (history.events ?? []).find((e) => e.activityTaskCompletedEventAttributes && timestamp(e.eventTime) > killWall);
      if (completed) nextWall = timestamp(completed.eventTime);
      else await delay(25);
    }
    if (nextWall === undefined) throw new Error('no activity completed after the kill');
    await finish(runId);
    const doneAt = performance.now();

    const events = (await h.engine.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const firstTaskOfNewWorker = events.find((e) => e.workflowTaskCompletedEventAttributes?.identity?.startsWith(`${worker!.pid}@`));
    const nextAt = killAt + (nextWall - killWall);
    return {
      runTime: doneAt - t0,
      killToReady: readyAt - killAt,
      readyToNext: nextAt - readyAt,
      killToNext: nextAt - killAt,
      killToFirstTask: firstTaskOfNewWorker ? timestamp(firstTaskOfNewWorker.eventTime) - killWall : Number.NaN,
      killToDone: doneAt - killAt,
      stickyTimeouts: events.filter((e) => e.workflowTaskTimedOutEventAttributes).length,
      maxAttempt: Math.max(...events.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 1)),
    };
  }

  const settings: { label: string; heartbeatMs: number; timeouts: ActivityTimeouts; trials: number }[] = [
    { label: `${HEARTBEAT_MS} ms`, heartbeatMs: HEARTBEAT_MS, timeouts: { heartbeatTimeoutMs: HEARTBEAT_MS }, trials: TRIALS },
  ];
  if (!values['skip-default']) settings.push({ label: `${DEFAULT_TIMEOUTS.heartbeatTimeoutMs} ms (default)`, heartbeatMs: DEFAULT_TIMEOUTS.heartbeatTimeoutMs, timeouts: {}, trials: 1 });

  printMachine();
  console.log(`SIGKILL of the worker ${KILL_AFTER_MS} ms into a model call (latency ${LATENCY} ms), new worker started at once ...`);
  const rows: Record<string, string | number>[] = [];
  const perTrial: Record<string, string | number>[] = [];
  for (const setting of settings) {
    const base = await baseline(setting.timeouts);
    const results: Awaited<ReturnType<typeof trial>>[] = [];
    for (let i = 0; i < setting.trials; i++) {
      const r = await trial(setting.timeouts);
      results.push(r);
      perTrial.push({
        heartbeat: setting.label,
        trial: i + 1,
        'kill→ready ms': round(r.killToReady),
        'ready→next activity ms': round(r.readyToNext),
        'kill→next activity ms': round(r.killToNext),
        'kill→first WFT on new worker ms': round(r.killToFirstTask),
        'kill→run done ms': round(r.killToDone),
        'run time ms': round(r.runTime),
        'sticky WFT timeouts': r.stickyTimeouts,
        'max attempt': r.maxAttempt,
      });
    }
    const p50 = (pick: (r: Awaited<ReturnType<typeof trial>>) => number) => round(summarize(results.map(pick)).p50);
    rows.push({
      heartbeat: setting.label,
      trials: results.length,
      'kill→ready ms': p50((r) => r.killToReady),
      'ready→next activity ms': p50((r) => r.readyToNext),
      'kill→next activity ms': p50((r) => r.killToNext),
      'kill→run done ms': p50((r) => r.killToDone),
      'uninterrupted run ms': round(base),
      'run delayed by ms': p50((r) => r.runTime - base),
    });
  }
  console.log();
  printTable(perTrial);
  console.log();
  printTable(rows);
  console.log('medians over the trials; "next activity" is the first activity of the run that completed after the kill.');
  console.log(JSON.stringify({ bench: 'recovery', ...machine(), latencyMs: LATENCY, killAfterMs: KILL_AFTER_MS, rows, perTrial }));
} finally {
  if (worker) await stopWorkerProcess(worker);
  await h.close();
}
