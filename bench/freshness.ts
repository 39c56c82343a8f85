/**
 * Freshness of a run's log at the client following it: the time from a step's end to its
 * `StepCompleted` event reaching an SSE client of the run (`GET …/runs/{run_id}/events`). The run
 * is a Loop of N function steps, each waiting a random 100–200 ms (events spread out, as a real
 * run's are) and then recording, by the content it returns, performance.now() in this process:
 * the worker is in-process (the API harness's), so client and executor share one clock. The lag
 * covers the activity's completion, the workflow task that makes the event, the event's way to
 * the reader (before the run store: the tail's `events` query polls; with it: the record the next
 * activity carries and the store's change notification) and SSE.
 * Topologies: `harness`, the API harness's worker and API in one process, each with a run store
 * of its own on the same SQLite file (so the API hears of a write as another process would); and,
 * where the harness has a run store, `shared`, a worker given the API engine's run store, as
 * `npm start` (AgentOS) runs them. It uses the HTTP API only, so it runs on code from before the
 * run store too (the `harness` topology only).
 *
 *   node bench/freshness.ts [--steps 100] [--runs 2]
 */
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseSse } from '../src/client/sse-parser.ts';
import { Loop } from '../src/definitions/primitives.ts';
import { Step } from '../src/definitions/step.ts';
import type { StepInput } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { createWorker } from '../src/worker/create-worker.ts';
import type { ApiServer } from '../src/server/serve.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm } from '../test/support/http.ts';
import { machine, printMachine, printTable, summarize } from './stats.ts';
import type { Summary } from './stats.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '100' }, runs: { type: 'string', default: '2' } } });
const STEPS = Number(values.steps);
const RUNS = Number(values.runs);

/** When each step ended (performance.now()), by the content it returned. */
const ended = new Map<string, number>();
let runTag = 0;
const tick = new Step({
  name: 'Tick',
  executor: async (input: StepInput) => {
    await delay(100 + Math.random() * 100);
    const previous = String(input.previousStepContent ?? input.input);
    const n = Number(previous.split(':')[1] ?? 0) + 1;
    const content = `${previous.split(':')[0]}:${n}`;
    ended.set(content, performance.now());
    return content;
  },
});
const workflow = new Workflow({ name: 'Freshness', steps: [new Loop({ name: 'Ticks', maxIterations: STEPS, steps: [tick] })] });

/** One run, followed by an SSE client from its start: the lag of each StepCompleted. */
async function followRun(api: string): Promise<number[]> {
  const tag = `r${++runTag}`;
  const started = await postForm(`${api}/workflows/${workflow.id}/runs`, { message: `${tag}:0`, stream: 'false', background: 'true' });
  if (!started.ok) throw new Error(`start: HTTP ${started.status} ${await started.text()}`);
  const { run_id: runId } = (await started.json()) as { run_id: string };
  const response = await fetch(`${api}/workflows/${workflow.id}/runs/${runId}/events`);
  if (!response.ok) throw new Error(`events: HTTP ${response.status} ${await response.text()}`);
  const lags: number[] = [];
  for await (const frame of parseSse(response.body!)) {
    const received = performance.now();
    const event = JSON.parse(frame.data) as { event: string; content?: unknown };
    if (event.event === 'StepCompleted' && typeof event.content === 'string') {
      const at = ended.get(event.content);
      if (at === undefined) throw new Error(`StepCompleted of ${event.content} came before its step ended`);
      lags.push(received - at);
    }
    if (event.event === 'WorkflowCompleted' || event.event === 'WorkflowError' || event.event === 'WorkflowCancelled') {
      await response.body!.cancel().catch(() => undefined);
      if (event.event !== 'WorkflowCompleted') throw new Error(`run ${runId} ended ${event.event}`);
      return lags;
    }
  }
  throw new Error(`run ${runId}: the stream ended without a terminal event`);
}

async function measure(api: string): Promise<Summary> {
  const lags: number[] = [];
  for (let i = 0; i < RUNS; i++) lags.push(...(await followRun(api)));
  return summarize(lags);
}

const h = await startApiHarness([workflow]);
const stops: (() => Promise<void>)[] = [];
try {
  printMachine();
  console.log(`${RUNS} runs of a Loop of ${STEPS} function steps (100–200 ms each), one SSE client each ...`);
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, Summary> = {};
  const row = (topology: string, lag: Summary) => {
    results[topology] = lag;
    rows.push({ topology, events: lag.n, 'p50 ms': lag.p50, 'p99 ms': lag.p99, 'max ms': lag.max, 'mean ms': lag.mean });
  };
  row('harness', await measure(h.api.url));
  // With the run store: a worker handed the API engine's own store object, as in `npm start`.
  const runStore = h.runStore as typeof h.runStore | undefined;
  if (runStore) {
    const queue = `${h.taskQueue}-shared`;
    const worker = await createWorker({ workflows: [workflow], address: h.temporal.address, taskQueue: queue, env: h.env, runStore });
    const running = worker.run();
    stops.push(async () => {
      await worker.shutdown();
      await running;
    });
    const server: ApiServer = await h.serve({ engine: h.engineFor(queue) });
    row('shared', await measure(server.url));
  }
  console.log();
  printTable(rows);
  console.log(JSON.stringify({ bench: 'freshness', ...machine(), steps: STEPS, runs: RUNS, results }));
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
  await h.close();
}
