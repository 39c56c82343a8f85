/**
 * Reading a long run back: the cost of a run read (`GET …/runs/{run_id}`, which carries up to
 * 1 MB of the run's events) and of reading its whole log, against the read without events, on a
 * completed Loop of N function steps (a closed run: every query replays its history).
 * The whole log is read twice, in pages of the default size and in the largest pages the query
 * answers, to show what the page size costs.
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
import { printMachine, printTable, summarize } from './stats.ts';

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
  const samples = { plain: [] as number[], withEvents: [] as number[], defaultPages: [] as number[], largestPages: [] as number[] };
  let queries = { defaultPages: 0, largestPages: 0 };
  let lastIndex = 0;
  for (let i = 0; i < runs; i++) {
    samples.plain.push(await time(() => h.engine.getRun(run.run_id)));
    samples.withEvents.push(await time(async () => (lastIndex = ((await h.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES }))?.events ?? []).length)));
    samples.defaultPages.push(await time(async () => (queries.defaultPages = await readLog(EVENT_PAGE_BYTES))));
    samples.largestPages.push(await time(async () => (queries.largestPages = await readLog(MAX_EVENT_PAGE_BYTES))));
  }
  const baseline = summarize(samples.plain).p50;
  const row = (what: string, values: number[], extra = '') => {
    const s = summarize(values);
    return { read: what, 'p50 ms': s.p50, 'max ms': s.max, '× no events': s.p50 / baseline, note: extra };
  };
  printTable([
    row('run, no events', samples.plain),
    row('run, ≤ 1 MB of events (GET)', samples.withEvents, `${lastIndex} events`),
    row(`whole log, ${EVENT_PAGE_BYTES / 1024} KB pages`, samples.defaultPages, `${queries.defaultPages} queries`),
    row(`whole log, ${MAX_EVENT_PAGE_BYTES / 1024} KB pages`, samples.largestPages, `${queries.largestPages} queries`),
  ]);
} finally {
  await h.close();
}
