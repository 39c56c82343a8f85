/**
 * What reading a run costs in Temporal Actions (the dev server's own `action` metric: what
 * Temporal Cloud bills; a query received by a worker is one), per content-creation run, read the
 * ways a user reads it over the HTTP API:
 * - alone: started (POST, background), awaited by the Temporal handle's result(), no reads;
 * - streamed: started with stream=true and its SSE stream read from start to end;
 * - followed: started in the background, its `/events` SSE stream read from start to end;
 * - polled: started in the background, `GET …/runs/{run_id}` every 500 ms until it has ended;
 * - one GET of the finished run (the Actions of that GET alone).
 * Each case is N runs, one at a time; the figure is the p50. The count is taken once the server
 * has reported what it did (the same twice, 1.5 s apart). Also counted: the Temporal queries the
 * engine sent (a client interceptor of the harness). It uses the HTTP API only, so it runs on
 * code from before the run store too.
 *
 *   node bench/read-actions.ts [--runs 5] [--latency 250]
 *
 * --latency: the fake model's latency before its first byte (ms), so a run lasts long enough to
 * be polled a few times.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { parseSse } from '../src/client/sse-parser.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { contentCreationReply } from '../test/support/content-creation-script.ts';
import { postForm } from '../test/support/http.ts';
import { actionsSoFar } from './temporal-actions.ts';
import { machine, printMachine, printTable, summarize, withLatency } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, latency: { type: 'string', default: '250' } } });
const RUNS = Number(values.runs);
const LATENCY_MS = Number(values.latency);
const POLL_MS = 500;
const WF = contentCreationWorkflow.id;
const TERMINAL = ['COMPLETED', 'ERROR', 'CANCELLED'];
const TERMINAL_EVENTS = ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'];


const h = await startApiHarness([contentCreationWorkflow]);
const metricsUrl = h.temporal.metricsUrl;
const api = h.api.url;
const queriesSent = () => [...h.temporalCalls.queries.values()].reduce((a, b) => a + b, 0);

interface Started {
  run_id: string;
  session_id: string;
}

async function startInBackground(): Promise<Started> {
  const response = await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  if (!response.ok) throw new Error(`start: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Started;
}

/** Reads an SSE response to its terminal event; the run's ids from its first event. */
async function readToEnd(response: Response): Promise<Started & { frames: number }> {
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${await response.text()}`);
  let ids: Started | undefined;
  let frames = 0;
  for await (const frame of parseSse(response.body!)) {
    const event = JSON.parse(frame.data) as { event: string; run_id?: string; session_id?: string };
    frames += 1;
    ids ??= event.run_id ? { run_id: event.run_id, session_id: event.session_id ?? '' } : undefined;
    if (TERMINAL_EVENTS.includes(event.event)) {
      await response.body!.cancel().catch(() => undefined);
      return { ...ids!, frames };
    }
  }
  throw new Error(`${response.url}: the stream ended without a terminal event`);
}

async function getRun(run: Started): Promise<{ status: string }> {
  const response = await fetch(`${api}/workflows/${WF}/runs/${run.run_id}?session_id=${encodeURIComponent(run.session_id)}`);
  if (!response.ok) throw new Error(`GET ${run.run_id}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as { status: string };
}

async function awaitEnd(runId: string): Promise<void> {
  await h.engine.client.workflow.getHandle(runId).result();
}

interface Sample {
  actions: number;
  queries: number;
  reads: number;
}

/** Runs `work` between two settled counts of Actions (and of the engine's queries). */
async function counted(work: () => Promise<number>): Promise<Sample> {
  const before = await actionsSoFar(metricsUrl);
  const queries = queriesSent();
  const reads = await work();
  return { actions: (await actionsSoFar(metricsUrl)) - before, queries: queriesSent() - queries, reads };
}

const cases: [string, () => Promise<number>][] = [
  [
    'alone (result(), no reads)',
    async () => {
      const run = await startInBackground();
      await awaitEnd(run.run_id);
      return 0;
    },
  ],
  [
    'streamed (POST stream=true, SSE to the end)',
    async () => {
      const run = await readToEnd(await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'true' }));
      await awaitEnd(run.run_id);
      return 1;
    },
  ],
  [
    'followed (background, GET …/events to the end)',
    async () => {
      const run = await startInBackground();
      await readToEnd(await fetch(`${api}/workflows/${WF}/runs/${run.run_id}/events`));
      await awaitEnd(run.run_id);
      return 1;
    },
  ],
  [
    `polled (GET every ${POLL_MS} ms until ended)`,
    async () => {
      const run = await startInBackground();
      let gets = 0;
      for (;;) {
        gets += 1;
        if (TERMINAL.includes(String((await getRun(run)).status).toUpperCase())) break;
        await delay(POLL_MS);
      }
      await awaitEnd(run.run_id);
      return gets;
    },
  ],
];

try {
  h.openai.setHandler((req) => withLatency(contentCreationReply(req), LATENCY_MS));
  printMachine();
  console.log(`${RUNS} content-creation runs per case, model latency ${LATENCY_MS} ms ...`);
  // One run first, not counted: the worker's and the API's first run warm them up.
  await awaitEnd((await startInBackground()).run_id);
  const samples = new Map<string, Sample[]>();
  const finished: Started[] = [];
  for (const [name, work] of cases) {
    const list: Sample[] = [];
    for (let i = 0; i < RUNS; i++) list.push(await counted(work));
    samples.set(name, list);
  }
  // One GET of a finished run: runs of the first case, each read once, long after it ended.
  for (let i = 0; i < RUNS; i++) {
    const run = await startInBackground();
    await awaitEnd(run.run_id);
    finished.push(run);
  }
  const gets: Sample[] = [];
  for (const run of finished) {
    gets.push(
      await counted(async () => {
        const status = String((await getRun(run)).status).toUpperCase();
        if (status !== 'COMPLETED') throw new Error(`run ${run.run_id} read ${status}`);
        return 1;
      }),
    );
  }
  samples.set('one GET of the finished run', gets);

  const alone = summarize(samples.get(cases[0]![0])!.map((s) => s.actions)).p50;
  const rows = [...samples].map(([name, list]) => {
    const actions = summarize(list.map((s) => s.actions));
    return {
      case: name,
      'Actions p50': actions.p50,
      'min–max': `${actions.min}–${actions.max}`,
      '× alone': name.startsWith('one GET') ? '' : (actions.p50 / alone).toFixed(2),
      'queries sent p50': summarize(list.map((s) => s.queries)).p50,
      'reads p50': summarize(list.map((s) => s.reads)).p50,
    };
  });
  console.log();
  printTable(rows);
  const p50Of = (name: string) => summarize(samples.get(name)!.map((s) => s.actions)).p50;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`streamed <= 1.1x alone: ${verdict(p50Of(cases[1]![0]) <= 1.1 * alone)}; followed <= 1.1x alone: ${verdict(p50Of(cases[2]![0]) <= 1.1 * alone)}; polled <= 1.1x alone: ${verdict(p50Of(cases[3]![0]) <= 1.1 * alone)}; GET of a finished run = 0: ${verdict(p50Of('one GET of the finished run') === 0)}`);
  console.log(JSON.stringify({ bench: 'read-actions', ...machine(), runs: RUNS, latencyMs: LATENCY_MS, pollMs: POLL_MS, rows, samples: Object.fromEntries(samples) }));
} finally {
  await h.close();
}
