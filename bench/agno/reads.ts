/**
 * Reads of finished runs, side by side with Agno's own AgentOS (bench/agno/content_creation.py on
 * agno pinned in .tools/agno-venv, its in-memory database and event buffer) in one run of this
 * script, each server against its own copy of the same fake OpenAI (instant answers). On each
 * server, N content-creation runs are made in one session, each streamed (POST stream=true,
 * background=true: Agno buffers the events of such runs only, for `/resume`), then, one figure
 * per row:
 * - `GET /workflows/{workflow_id}/runs/{run_id}?session_id=…` of a finished run (the session's
 *   runs in turn), p50/p99 over --gets reads;
 * - `GET /sessions/{session_id}/runs?type=workflow` of that session, p50/p99 over --lists reads;
 * - --replays concurrent replays of one finished streamed run (`POST …/runs/{run_id}/resume`,
 *   no last_event_index: every event from the first), all begun at once: the wall time until
 *   every client has the terminal event, and p50/p99 per client.
 * Ours only (skipped with --killed-runs 0): runs made by a worker in a process of its own, which
 * is then killed (SIGKILL); every finished run is read by GET (its content and all its events,
 * checked against a GET made while the worker lived) and replayed to its end, p50/p99 per read.
 * Ours runs worker, API and the in-memory live lane in this process, as `npm start`. It uses the
 * HTTP API only, so it runs on code from before the run store too.
 *
 *   node bench/agno/reads.ts [--runs 30] [--gets 60] [--lists 20] [--replays 100] [--killed-runs 10]
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { parseSse } from '../../src/client/sse-parser.ts';
import { startFakeOpenAI } from '../../test/fakes/openai.ts';
import { startAgnoOs } from '../../test/agno-parity/agno-os-process.ts';
import type { AgnoOs } from '../../test/agno-parity/agno-os-process.ts';
import { startApiHarness } from '../../test/support/api-harness.ts';
import { contentCreationReply } from '../../test/support/content-creation-script.ts';
import { postForm } from '../../test/support/http.ts';
import { killProcess, startEntrypoint } from '../../test/support/processes.ts';
import { machine, printMachine, printTable, round, summarize } from '../stats.ts';
import type { Summary } from '../stats.ts';

/** Agno's AgentOS serving the content-creation workflow, as our API does. */
const AGNO_SCRIPT = fileURLToPath(new URL('./content_creation.py', import.meta.url));

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    gets: { type: 'string', default: '60' },
    lists: { type: 'string', default: '20' },
    replays: { type: 'string', default: '100' },
    'killed-runs': { type: 'string', default: '10' },
  },
});
const RUNS = Number(args.runs);
const GETS = Number(args.gets);
const LISTS = Number(args.lists);
const REPLAYS = Number(args.replays);
const KILLED_RUNS = Number(args['killed-runs']);
const WF = 'content-creation-workflow';
const TERMINAL_EVENTS = ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'];

interface Run {
  run_id: string;
  session_id: string;
}

interface WireEvent {
  event: string;
  event_index?: number;
  run_id?: string;
  session_id?: string;
  error?: string;
}

/** Reads an SSE response until its terminal event; how many frames came, and the run's ids from the first event that names them. */
async function readToEnd(response: Response, what: string): Promise<{ frames: number; ids?: Run }> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  let frames = 0;
  let ids: Run | undefined;
  for await (const frame of parseSse(response.body!)) {
    frames += 1;
    const event = JSON.parse(frame.data) as WireEvent;
    if (event.event === 'error') throw new Error(`${what}: ${event.error}`);
    if (!ids && event.run_id && event.session_id) ids = { run_id: event.run_id, session_id: event.session_id };
    if (TERMINAL_EVENTS.includes(event.event)) {
      await response.body!.cancel().catch(() => undefined);
      return { frames, ids };
    }
  }
  throw new Error(`${what}: the stream ended without a terminal event`);
}

async function streamedRun(api: string, sessionId: string): Promise<Run> {
  const { ids } = await readToEnd(await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'true', background: 'true', session_id: sessionId }), `${api}: streamed run`);
  if (!ids) throw new Error(`${api}: the stream named no run`);
  return ids;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

interface RunRead {
  status: string;
  content: string;
  events: WireEvent[];
  bytes: number;
}

async function getRun(api: string, run: Run): Promise<RunRead> {
  const response = await fetch(`${api}/workflows/${WF}/runs/${run.run_id}?session_id=${encodeURIComponent(run.session_id)}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${api}: GET ${run.run_id}: HTTP ${response.status} ${text}`);
  const body = JSON.parse(text) as { status?: string; content?: unknown; events?: WireEvent[] };
  return { status: String(body.status).toUpperCase(), content: typeof body.content === 'string' ? body.content : JSON.stringify(body.content ?? ''), events: body.events ?? [], bytes: text.length };
}

async function sessionRuns(api: string, sessionId: string): Promise<{ runs: number; bytes: number }> {
  const response = await fetch(`${api}/sessions/${encodeURIComponent(sessionId)}/runs?type=workflow`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${api}: GET /sessions/${sessionId}/runs: HTTP ${response.status} ${text}`);
  return { runs: (JSON.parse(text) as unknown[]).length, bytes: text.length };
}

function replay(api: string, run: Run): Promise<{ frames: number }> {
  return postForm(`${api}/workflows/${WF}/runs/${run.run_id}/resume`, { session_id: run.session_id }).then((response) => readToEnd(response, `${api}: replay of ${run.run_id}`));
}

interface Figures {
  get: Summary;
  getBytes: number;
  getEvents: number;
  list: Summary;
  listBytes: number;
  replayWallMs: number;
  replay: Summary;
  replayFrames: number;
}

async function measure(api: string): Promise<Figures> {
  const sessionId = randomUUID();
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await streamedRun(api, sessionId));
  // Not counted: each read path once, so both servers have warmed it up.
  await getRun(api, runs[0]!);
  await sessionRuns(api, sessionId);
  await replay(api, runs[0]!);

  const gets: number[] = [];
  let last: RunRead | undefined;
  for (let i = 0; i < GETS; i++) {
    const { ms, value } = await timed(() => getRun(api, runs[i % runs.length]!));
    if (value.status !== 'COMPLETED') throw new Error(`${api}: run read ${value.status}`);
    gets.push(ms);
    last = value;
  }
  const lists: number[] = [];
  let listed = { runs: 0, bytes: 0 };
  for (let i = 0; i < LISTS; i++) {
    const { ms, value } = await timed(() => sessionRuns(api, sessionId));
    if (value.runs !== RUNS) throw new Error(`${api}: the session lists ${value.runs} runs, not ${RUNS}`);
    lists.push(ms);
    listed = value;
  }
  const target = runs.at(-1)!;
  const began = performance.now();
  const replays = await Promise.all(Array.from({ length: REPLAYS }, () => timed(() => replay(api, target))));
  const replayWallMs = performance.now() - began;
  return {
    get: summarize(gets),
    getBytes: last!.bytes,
    getEvents: last!.events.length,
    list: summarize(lists),
    listBytes: listed.bytes,
    replayWallMs,
    replay: summarize(replays.map((r) => r.ms)),
    replayFrames: replays[0]!.value.frames,
  };
}

interface KilledFigures {
  runs: number;
  whole: number;
  get: Summary;
  replay: Summary;
  events: number;
  notes: string[];
}

/** Ours: runs of a worker process, read after that worker is SIGKILLed. */
async function measureKilledWorker(): Promise<KilledFigures> {
  const queue = `${h.taskQueue}-child`;
  const worker = await startEntrypoint('worker', { ...h.env, TEMPORAL_TASK_QUEUE: queue });
  const server = await h.serve({ engine: h.engineFor(queue) });
  const sessionId = randomUUID();
  const runs: Run[] = [];
  const alive = new Map<string, RunRead>();
  try {
    for (let i = 0; i < KILLED_RUNS; i++) runs.push(await streamedRun(server.url, sessionId));
    for (const run of runs) alive.set(run.run_id, await getRun(server.url, run));
  } finally {
    await killProcess(worker.child, 'SIGKILL');
  }
  const gets: number[] = [];
  const replays: number[] = [];
  const notes: string[] = [];
  let whole = 0;
  for (const run of runs) {
    const before = alive.get(run.run_id)!;
    let isWhole = true;
    for (let i = 0; i < 3; i++) {
      const { ms, value } = await timed(() => getRun(server.url, run));
      gets.push(ms);
      const indices = value.events.map((e) => e.event_index);
      const gapless = indices.every((index, at) => index === at);
      const ok = value.status === 'COMPLETED' && value.content.length > 0 && value.content === before.content && value.events.length === before.events.length && gapless && TERMINAL_EVENTS.includes(value.events.at(-1)?.event ?? '');
      if (!ok && isWhole) notes.push(`run ${run.run_id}: ${value.status}, content ${value.content.length} chars (alive: ${before.content.length}), ${value.events.length} events (alive: ${before.events.length}), gapless ${gapless}, last ${value.events.at(-1)?.event}`);
      isWhole &&= ok;
    }
    if (isWhole) whole += 1;
    replays.push((await timed(() => replay(server.url, run))).ms);
  }
  return { runs: runs.length, whole, get: summarize(gets), replay: summarize(replays), events: alive.get(runs[0]!.run_id)!.events.length, notes };
}

const h = await startApiHarness([contentCreationWorkflow]);
const agnoFake = await startFakeOpenAI();
let agno: AgnoOs | undefined;
try {
  h.openai.setHandler(contentCreationReply);
  agnoFake.setHandler(contentCreationReply);
  agno = await startAgnoOs({ openaiUrl: agnoFake.url, hackernewsUrl: h.hackernews.url, yahooUrl: h.yahoo.url }, AGNO_SCRIPT);
  printMachine();
  console.log(`${RUNS} streamed runs in one session on each; ${GETS} GETs, ${LISTS} session lists, ${REPLAYS} concurrent replays ...`);
  const results = { agno: await measure(agno.url), ours: await measure(h.api.url) };
  const ratio = (ours: number, theirs: number) => `×${(ours / theirs).toFixed(2)}`;
  const both = (pick: (f: Figures) => Summary) => ({
    Agno: `${round(pick(results.agno).p50)} / ${round(pick(results.agno).p99)}`,
    ours: `${round(pick(results.ours).p50)} / ${round(pick(results.ours).p99)}`,
    'ours / Agno (p50)': ratio(pick(results.ours).p50, pick(results.agno).p50),
  });
  console.log();
  printTable([
    { read: 'GET a finished run, p50 / p99 ms', ...both((f) => f.get), size: `${round(results.agno.getBytes / 1024)} KB, ${results.agno.getEvents} events / ${round(results.ours.getBytes / 1024)} KB, ${results.ours.getEvents} events` },
    { read: `GET /sessions/{id}/runs (${RUNS} runs), p50 / p99 ms`, ...both((f) => f.list), size: `${round(results.agno.listBytes / 1024)} KB / ${round(results.ours.listBytes / 1024)} KB` },
    { read: `${REPLAYS} concurrent replays, wall ms`, Agno: round(results.agno.replayWallMs), ours: round(results.ours.replayWallMs), 'ours / Agno (p50)': ratio(results.ours.replayWallMs, results.agno.replayWallMs), size: `${results.agno.replayFrames} / ${results.ours.replayFrames} frames each` },
    { read: '  per client, p50 / p99 ms', ...both((f) => f.replay), size: '' },
  ]);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(
    `targets <= 1.0x Agno: GET ${met(results.ours.get.p50 <= results.agno.get.p50)}, session runs ${met(results.ours.list.p50 <= results.agno.list.p50)}, replays (wall) ${met(results.ours.replayWallMs <= results.agno.replayWallMs)}`,
  );
  let killed: KilledFigures | undefined;
  if (KILLED_RUNS > 0) {
    console.log(`\nours, ${KILLED_RUNS} runs of a worker process, read after it was SIGKILLed ...`);
    killed = await measureKilledWorker();
    printTable([
      { read: 'GET a finished run, worker killed', 'p50 ms': killed.get.p50, 'p99 ms': killed.get.p99, 'max ms': killed.get.max, note: `${killed.whole} of ${killed.runs} runs whole (content and all ${killed.events} events)` },
      { read: 'replay to the end, worker killed', 'p50 ms': killed.replay.p50, 'p99 ms': killed.replay.p99, 'max ms': killed.replay.max, note: '' },
    ]);
    for (const note of killed.notes) console.log(`  ${note}`);
    console.log(`every run whole, GET < 100 ms (p99): ${met(killed.whole === killed.runs && killed.get.p99 < 100)}`);
  }
  console.log(JSON.stringify({ bench: 'agno-reads', ...machine(), runs: RUNS, gets: GETS, lists: LISTS, replays: REPLAYS, results, killed }));
} finally {
  await agno?.close();
  await agnoFake.close();
  await h.close();
}
