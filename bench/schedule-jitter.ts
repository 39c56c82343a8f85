/**
 * How late a schedule's runs start against their cron time: a schedule firing every
 * `--every` seconds (a 7-field cron, seconds first: Temporal's scheduler is the same for every
 * cron) of a one-step function workflow, on the Temporal dev server with a worker in this process,
 * for `--firings` firings. For each run: when it was due (the schedule's recent actions, Temporal's
 * clock), when Temporal started its execution, and when a worker began its first workflow task
 * (the run is running: its history's first WorkflowTaskStarted).
 *
 *   node bench/schedule-jitter.ts [--every 5] [--firings 12]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { Step } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startHarness } from '../test/support/harness.ts';
import { printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { every: { type: 'string', default: '5' }, firings: { type: 'string', default: '12' } } });
const EVERY_S = Number(values.every);
const FIRINGS = Number(values.firings);
if (!(EVERY_S >= 1 && EVERY_S <= 59 && Number.isInteger(EVERY_S))) throw new Error('--every: whole seconds from 1 to 59');

const tick = new Workflow({ name: 'Tick', steps: [new Step({ name: 'Note', executor: () => 'noted' })] });

const h = await startHarness();
try {
  await h.startWorker([tick]);
  const schedule = await h.engine.createSchedule({
    name: `jitter-${Date.now()}`,
    plan: tick.toPlan(),
    cronExpr: `*/${EVERY_S} * * * * * *`,
    timezone: 'UTC',
    payload: { message: 'tick' },
    overlap: ScheduleOverlapPolicy.ALLOW_ALL,
    enabled: true,
  });
  console.log(`schedule ${schedule.id}: every ${EVERY_S} s, waiting for ${FIRINGS} firings (about ${FIRINGS * EVERY_S} s)`);
  const handle = h.engine.client.schedule.getHandle(schedule.id);
  // The schedule's recent actions keep its last 10: read them as they come, keeping every one.
  const actions = new Map<string, { dueMs: number; takenMs: number }>();
  while (actions.size < FIRINGS) {
    for (const action of (await handle.describe()).info.recentActions) {
      actions.set(action.action.workflow.workflowId, { dueMs: action.scheduledAt.getTime(), takenMs: action.takenAt.getTime() });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await handle.delete();

  const rows = [];
  const startLag: number[] = [];
  const runningLag: number[] = [];
  for (const [runId, { dueMs, takenMs }] of [...actions].slice(0, FIRINGS)) {
    const { startTime } = await h.engine.client.workflow.getHandle(runId).describe();
    const output = await h.engine.waitForRun(runId);
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    const taskStarted = history.events?.find((event) => event.workflowTaskStartedEventAttributes)?.eventTime;
    const runningMs = taskStarted ? Number(taskStarted.seconds) * 1000 + Math.floor((taskStarted.nanos ?? 0) / 1e6) : Number.NaN;
    startLag.push(startTime.getTime() - dueMs);
    runningLag.push(runningMs - dueMs);
    rows.push({ run: runId.slice(schedule.id.length + 1), due: new Date(dueMs).toISOString().slice(11, 23), 'action taken (ms late)': takenMs - dueMs, 'execution start (ms late)': startTime.getTime() - dueMs, 'first workflow task (ms late)': runningMs - dueMs, status: output.status });
  }
  printMachine();
  console.log(`load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  printTable(rows);
  const start = summarize(startLag);
  const running = summarize(runningLag);
  console.log(`execution start after the cron time: p50 ${start.p50} ms, p99 ${start.p99} ms, max ${start.max} ms (${start.n} runs)`);
  console.log(`first workflow task after the cron time: p50 ${running.p50} ms, p99 ${running.p99} ms, max ${running.max} ms`);
} finally {
  await h.close();
}
