/**
 * Reading a long run back: the cost of a run read (`GET …/runs/{run_id}`, which carries up to
 * 1 MB of the run's events) and of reading its whole log, against the read without events, on a
 * completed Loop of N function steps. Through the engine (`engine.getRun`, `engine.readEventLog`
 * and `engine.streamEvents`), which reads a run the run store holds ended and whole from the
 * store, and otherwise by queries; and by the workflow's `eventPage` query directly
 * (`fetchLogPage`: a closed run, so every query replays its history on a worker), in pages of the
 * default size and in the largest pages the query answers, to show what the page size costs.
 * The engine's rows run on code from before the run store too (they read by queries there).
 *
 *   node bench/run-read.ts [--iterations 2000] [--runs 5]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EVENT_PAGE_BYTES, MAX_EVENT_PAGE_BYTES } from '../src/contracts/run-workflow-api.ts';
import { Loop } from '../src/definitions/primitives.ts';
import { Step } from '../src/definitions/step.ts';
import type { StepInput } from '../src/definitions/step.ts';
import { fetchLogPage } from '../src/engine/log-pages.ts';
import { RUN_READ_EVENT_BYTES } from '../src/engine/output-events.ts';
import { Workflow } from '../src/os/workflow.ts';
import { QUERY_DEADLINE_MS } from '../src/engine/query-run.ts';
import { startHarness } from '../test/support/harness.ts';
import { machine, printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '2000' }, runs: { type: 'string', default: '5' } } });
const iterations = Number(values.iterations);
const runs = Number(values.runs);

const count = new Step({ name: 'Count', executor: (input: StepInput) => String(Number(input.previousStepContent ?? input.input) + 1) });
const workflow = new Workflow({ name: 'Long Loop', steps: [new Loop({ name: 'Repeat', maxIterations: iterations, steps: [count] })] });

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

printMachine();
const h = await startHarness();
try {
  await h.startWorker([workflow]);
  console.log(`a Loop of ${iterations} function steps ...`);
  const run = await workflow.arun({ input: '0', engine: h.engine, background: true });
  const done = await h.engine.waitForRun(run.run_id);
  if (done.status !== 'COMPLETED') throw new Error(`the run ended ${done.status}: ${done.error}`);

  /** The whole log in pages of at most `maxBytes`; how many queries that took. */
  const readLog = async (maxBytes: number) => {
    let after = -1;
    let queries = 0;
    for (;;) {
      const page = await fetchLogPage(h.engine.client, run.run_id, after, { deadlineMs: QUERY_DEADLINE_MS, maxBytes });
      queries += 1;
      if (page.events.length === 0) return queries;
      after = page.events.at(-1)!.event_index;
      if (after >= page.lastIndex) return queries;
    }
  };
  /** The whole log through the engine: a snapshot (as run reads and retries read it), or its stream (as SSE replays do); how many events. */
  const engineLog = async (how: 'snapshot' | 'stream') => {
    let events = 0;
    if (how === 'stream') for await (const _ of h.engine.streamEvents(run.run_id)) events += 1;
    else for await (const page of h.engine.readEventLog(run.run_id, { mode: 'snapshot' })) events += page.length;
    return events;
  };
  const samples = { plain: [] as number[], withEvents: [] as number[], engineSnapshot: [] as number[], engineStream: [] as number[], defaultPages: [] as number[], largestPages: [] as number[] };
  let queries = { defaultPages: 0, largestPages: 0 };
  let lastIndex = 0;
  const logEvents = { snapshot: 0, stream: 0 };
  const queriesSent = () => [...h.temporalCalls.queries.values()].reduce((a, b) => a + b, 0);
  const engineQueries = { plain: 0, withEvents: 0, engineSnapshot: 0, engineStream: 0 };
  /** Times `work` and counts the queries the engine sent meanwhile. */
  const engineTime = async (key: keyof typeof engineQueries, work: () => Promise<unknown>) => {
    const sent = queriesSent();
    const ms = await time(work);
    engineQueries[key] = queriesSent() - sent;
    return ms;
  };
  for (let i = 0; i < runs; i++) {
    samples.plain.push(await engineTime('plain', () => h.engine.getRun(run.run_id)));
    samples.withEvents.push(await engineTime('withEvents', async () => (lastIndex = ((await h.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES }))?.events ?? []).length)));
    samples.engineSnapshot.push(await engineTime('engineSnapshot', async () => (logEvents.snapshot = await engineLog('snapshot'))));
    samples.engineStream.push(await engineTime('engineStream', async () => (logEvents.stream = await engineLog('stream'))));
    samples.defaultPages.push(await time(async () => (queries.defaultPages = await readLog(EVENT_PAGE_BYTES))));
    samples.largestPages.push(await time(async () => (queries.largestPages = await readLog(MAX_EVENT_PAGE_BYTES))));
  }
  const baseline = summarize(samples.plain).p50;
  const row = (what: string, values: number[], extra = '') => {
    const s = summarize(values);
    return { read: what, 'p50 ms': s.p50, 'max ms': s.max, '× no events': s.p50 / baseline, note: extra };
  };
  const rows = [
    row('engine: run, no events', samples.plain, `${engineQueries.plain} queries`),
    row('engine: run, ≤ 1 MB of events (GET)', samples.withEvents, `${lastIndex} events, ${engineQueries.withEvents} queries`),
    row('engine: whole log, snapshot', samples.engineSnapshot, `${logEvents.snapshot} events, ${engineQueries.engineSnapshot} queries`),
    row('engine: whole log, stream', samples.engineStream, `${logEvents.stream} events, ${engineQueries.engineStream} queries`),
    row(`query: whole log, ${EVENT_PAGE_BYTES / 1024} KB pages`, samples.defaultPages, `${queries.defaultPages} queries`),
    row(`query: whole log, ${MAX_EVENT_PAGE_BYTES / 1024} KB pages`, samples.largestPages, `${queries.largestPages} queries`),
  ];
  printTable(rows);
  const read = summarize(samples.withEvents).p50;
  console.log(`run read (GET, ≤ 1 MB of events) <= 100 ms: ${read <= 100 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify({ bench: 'run-read', ...machine(), iterations, runs, rows }));
} finally {
  await h.close();
}
