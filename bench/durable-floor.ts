/**
 * Our overhead over the durable floor. The floor (bench/floor/) is a minimal Temporal workflow on
 * the bare SDK that makes the same activities as one content-creation run, in the same shape
 * (7 model calls, 2 tool calls, two member chains in parallel), its model activity making the
 * same streamed request through the same `openai` client to the same fake, which answers with the
 * same bytes after the same latency. Our run is the app's content-creation workflow through the
 * engine (plan, event log, delta signals, search attributes, heartbeats). Both run on the same
 * Temporal dev server with an in-process worker each (the floor's tuned like ours), runs
 * interleaved one by one (alternating which goes first), so both see the same load.
 *
 * Time per run: start call → result (`client.workflow.start` + `handle.result()`, the same for
 * both). Overhead per model call = (ours − floor) / 7, from the medians.
 *
 *   node bench/durable-floor.ts [--runs 20] [--latencies 0,250]
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { FLOOR_WORKFLOW_TYPE, floorReply, isFloorRequest, startFloorWorker } from './floor/worker.ts';
import { historyBytes, machine, printMachine, printTable, round, summarize, withLatency } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, latencies: { type: 'string', default: '0,250' } } });
const RUNS = Number(values.runs);
const LATENCIES = values.latencies.split(',').map(Number);
const MODEL_CALLS = 7;
const WARMUP = 2;
const RUN_TIMEOUT_MS = 60_000;
const DEADLINE = performance.now() + 8 * 60_000;

const h = await startHarness();
const floor = await startFloorWorker({
  address: h.temporal.address,
  taskQueue: `floor-${randomUUID()}`,
  endpoints: { openaiBaseUrl: h.openai.url, hackernewsUrl: h.hackernews.url, yahooUrl: h.yahoo.url },
});
try {
  await h.startWorker([contentCreationWorkflow]);
  let latency = 0;
  h.openai.setHandler((req) => withLatency(isFloorRequest(req) ? floorReply(req) : contentCreationReply(req), latency));

  const within = <T>(promise: Promise<T>): Promise<T> =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`a run took over ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS).unref())]);

  const kinds = {
    ours: async () => {
      const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
      const state = (await within(h.engine.client.workflow.getHandle(output.run_id).result())) as { content?: string };
      if (state.content !== CONTENT_PLAN) throw new Error(`our run ended with ${JSON.stringify(state.content)}`);
      return output.run_id;
    },
    floor: async () => {
      const workflowId = randomUUID();
      const handle = await h.engine.client.workflow.start(FLOOR_WORKFLOW_TYPE, { workflowId, taskQueue: floor.taskQueue, args: ['AI trends in 2024'] });
      const content = await within(handle.result());
      if (content !== CONTENT_PLAN) throw new Error(`the floor run ended with ${JSON.stringify(content)}`);
      return workflowId;
    },
  };
  type Kind = keyof typeof kinds;

  printMachine();
  console.log(`${RUNS} runs each of ours and the floor per model latency (${LATENCIES.join(', ')} ms), interleaved ...`);
  const times: Record<string, Record<Kind, number[]>> = {};
  const lastRun: Record<string, Record<Kind, string>> = {};
  for (const ms of LATENCIES) {
    latency = ms;
    const t: Record<Kind, number[]> = (times[ms] = { ours: [], floor: [] });
    const last = (lastRun[ms] = { ours: '', floor: '' });
    for (let i = 0; i < WARMUP + RUNS && performance.now() < DEADLINE; i++) {
      const order: Kind[] = i % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
      for (const kind of order) {
        h.openai.reset();
        const t0 = performance.now();
        last[kind] = await kinds[kind]();
        if (i >= WARMUP) t[kind].push(performance.now() - t0);
      }
    }
  }

  const rows: Record<string, string | number>[] = [];
  const comparison: Record<string, string | number>[] = [];
  for (const ms of LATENCIES) {
    const s = { ours: summarize(times[ms]!.ours), floor: summarize(times[ms]!.floor) };
    for (const kind of ['floor', 'ours'] as const) {
      rows.push({ 'latency ms': ms, workflow: kind === 'ours' ? 'ours (content-creation)' : 'floor (bare SDK)', n: s[kind].n, 'p50 ms': s[kind].p50, 'p99 ms': s[kind].p99, 'min ms': s[kind].min, 'max ms': s[kind].max });
    }
    comparison.push({
      'latency ms': ms,
      'ours/floor p50': round(s.ours.p50 / s.floor.p50),
      'ours/floor p99': round(s.ours.p99 / s.floor.p99),
      'overhead p50 ms': round(s.ours.p50 - s.floor.p50),
      'overhead p99 ms': round(s.ours.p99 - s.floor.p99),
      'per model call p50 ms': round((s.ours.p50 - s.floor.p50) / MODEL_CALLS),
    });
  }

  // What each kind of run leaves in Temporal: one run of each at the last latency.
  const histories: Record<string, string | number>[] = [];
  const ms = LATENCIES.at(-1)!;
  for (const kind of ['floor', 'ours'] as const) {
    const history = await h.engine.client.workflow.getHandle(lastRun[ms]![kind]).fetchHistory();
    const events = history.events ?? [];
    histories.push({
      workflow: kind,
      'history events': events.length,
      'history KB': round(historyBytes(history) / 1024),
      'workflow tasks': events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
      activities: events.filter((e) => e.activityTaskCompletedEventAttributes).length,
      signals: events.filter((e) => e.workflowExecutionSignaledEventAttributes).length,
      'search attr upserts': events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
      'input KB': round((events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0) / 1024),
    });
  }

  console.log();
  printTable(rows);
  console.log();
  printTable(comparison);
  console.log();
  printTable(histories);
  console.log(JSON.stringify({ bench: 'durable-floor', ...machine(), runs: RUNS, latencies: LATENCIES, modelCalls: MODEL_CALLS, rows, comparison, histories }));
} finally {
  await floor.shutdown();
  await h.close();
}
