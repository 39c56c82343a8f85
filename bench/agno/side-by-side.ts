/**
 * The content-creation workflow on Agno itself (its AgentOS, bench/agno/content_creation.py, on
 * agno pinned in .tools/agno-venv) and on this project (worker, API and the in-memory live lane in
 * one process, as `npm start`), side by side in one run, each against its own copy of the same
 * fake OpenAI: 250 ms to the first token, then 40 tokens 20 ms apart, every token unique so that
 * the time the fake wrote it can be looked up when a client receives it.
 *
 *   node bench/agno/side-by-side.ts [--runs 5] [--starts 20] [--concurrent 30]
 *
 * Figures per server: token lag at the SSE client (every token of every streamed run), a streamed
 * run end to end (POST stream=true → the WorkflowCompleted frame), background start → reply, and
 * the wall time of N concurrent background runs (started at once, polled until all completed).
 */
import { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { parseSse } from '../../src/client/sse-parser.ts';
import { startFakeOpenAI } from '../../test/fakes/openai.ts';
import { startAgnoOs } from '../../test/agno-parity/agno-os-process.ts';
import type { AgnoOs } from '../../test/agno-parity/agno-os-process.ts';
import type { FakeReply, FakeRequest } from '../../test/fakes/openai.ts';
import { startApiHarness } from '../../test/support/api-harness.ts';
import { contentCreationReply } from '../../test/support/content-creation-script.ts';
import { postForm } from '../../test/support/http.ts';
import { waitUntil } from '../../test/support/wait.ts';
import { machine, printMachine, printTable, round, summarize } from '../stats.ts';

/** Agno's AgentOS serving the content-creation workflow, as our API does. */
const AGNO_SCRIPT = fileURLToPath(new URL('./content_creation.py', import.meta.url));

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' }, starts: { type: 'string', default: '20' }, concurrent: { type: 'string', default: '30' } } });
const RUNS = Number(args.runs);
const STARTS = Number(args.starts);
const CONCURRENT = Number(args.concurrent);
const TOKENS = 40;
const TOKEN_GAP_MS = 20;
const FIRST_TOKEN_MS = 250;
const WF = 'content-creation-workflow';

// When each token was written by a fake (performance.now()), by the token's text.
const written = new Map<string, number>();
const TOKEN = /⟦[ao]\d+\.\d+⟧/g;
const write = ServerResponse.prototype.write;
ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  if (typeof chunk === 'string' && chunk.startsWith('event: response.output_text.delta\n')) {
    const now = performance.now();
    for (const token of chunk.match(TOKEN) ?? []) written.set(token, now);
  }
  return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;

/** The content-creation script, every text answer made of unique tokens, every answer after the first-token latency. */
function script(prefix: 'a' | 'o') {
  return (req: FakeRequest): FakeReply => {
    const reply = contentCreationReply(req);
    if (reply.kind === 'text') {
      const chunks = Array.from({ length: TOKENS }, (_, i) => `⟦${prefix}${req.index}.${i}⟧ `);
      return { kind: 'text', text: chunks.join(''), chunks, chunkDelayMs: TOKEN_GAP_MS, delayMs: FIRST_TOKEN_MS };
    }
    return reply.kind === 'tool_calls' ? { ...reply, delayMs: FIRST_TOKEN_MS } : reply;
  };
}

interface Figures {
  lags: number[];
  endToEnd: number[];
  starts: number[];
  concurrentWallMs: number;
}

async function streamedRun(api: string, lags: number[]): Promise<number> {
  const started = performance.now();
  const response = await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'true' });
  if (!response.ok) throw new Error(`${api}: HTTP ${response.status} ${await response.text()}`);
  const seen = new Set<string>();
  for await (const frame of parseSse(response.body!)) {
    const received = performance.now();
    const event = JSON.parse(frame.data) as { event: string; content?: unknown };
    if ((event.event === 'RunContent' || event.event === 'TeamRunContent') && typeof event.content === 'string') {
      for (const token of event.content.match(TOKEN) ?? []) {
        if (seen.has(token)) continue;
        seen.add(token);
        const at = written.get(token);
        if (at !== undefined) lags.push(received - at);
      }
    }
    if (event.event === 'WorkflowCompleted' || event.event === 'WorkflowError') return performance.now() - started;
  }
  throw new Error(`${api}: the stream ended without WorkflowCompleted`);
}

async function startInBackground(api: string): Promise<{ run_id: string; session_id: string; ms: number }> {
  const started = performance.now();
  const response = await postForm(`${api}/workflows/${WF}/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${api}: HTTP ${response.status} ${await response.text()}`);
  return { ...((await response.json()) as { run_id: string; session_id: string }), ms };
}

async function waitCompleted(api: string, run: { run_id: string; session_id: string }): Promise<void> {
  await waitUntil(
    `run ${run.run_id} on ${api} to complete`,
    async () => {
      const response = await fetch(`${api}/workflows/${WF}/runs/${run.run_id}?session_id=${encodeURIComponent(run.session_id)}`);
      if (!response.ok) return false;
      const status = String(((await response.json()) as { status?: string }).status).toUpperCase();
      if (status === 'ERROR' || status === 'CANCELLED') throw new Error(`run ${run.run_id} on ${api} ended ${status}`);
      return status === 'COMPLETED';
    },
    { timeoutMs: 300_000, intervalMs: 100 },
  );
}

async function measure(api: string): Promise<Figures> {
  // One run first, not counted: both servers warm up (imports, connections, caches).
  await streamedRun(api, []);
  const figures: Figures = { lags: [], endToEnd: [], starts: [], concurrentWallMs: 0 };
  for (let i = 0; i < RUNS; i++) figures.endToEnd.push(await streamedRun(api, figures.lags));
  const background = [];
  for (let i = 0; i < STARTS; i++) {
    const run = await startInBackground(api);
    figures.starts.push(run.ms);
    background.push(run);
  }
  for (const run of background) await waitCompleted(api, run);
  const began = performance.now();
  const runs = await Promise.all(Array.from({ length: CONCURRENT }, () => startInBackground(api)));
  await Promise.all(runs.map((run) => waitCompleted(api, run)));
  figures.concurrentWallMs = performance.now() - began;
  return figures;
}

const h = await startApiHarness([contentCreationWorkflow]);
const agnoFake = await startFakeOpenAI();
let agno: AgnoOs | undefined;
try {
  h.openai.setHandler(script('o'));
  agnoFake.setHandler(script('a'));
  agno = await startAgnoOs({ openaiUrl: agnoFake.url, hackernewsUrl: h.hackernews.url, yahooUrl: h.yahoo.url }, AGNO_SCRIPT);
  printMachine();
  console.log(`${RUNS} streamed runs, ${STARTS} background starts, ${CONCURRENT} concurrent runs on each; model: ${FIRST_TOKEN_MS} ms to the first token, ${TOKENS} tokens ${TOKEN_GAP_MS} ms apart ...`);
  const results = { agno: await measure(agno.url), ours: await measure(h.api.url) };
  const lag = { agno: summarize(results.agno.lags), ours: summarize(results.ours.lags) };
  const e2e = { agno: summarize(results.agno.endToEnd), ours: summarize(results.ours.endToEnd) };
  const start = { agno: summarize(results.agno.starts), ours: summarize(results.ours.starts) };
  const ratio = (ours: number, theirs: number) => `×${(ours / theirs).toFixed(2)}`;
  console.log();
  printTable([
    { figure: 'token lag at the SSE client, p50 / p99 ms', Agno: `${round(lag.agno.p50)} / ${round(lag.agno.p99)}`, ours: `${round(lag.ours.p50)} / ${round(lag.ours.p99)}`, tokens: `${lag.agno.n} / ${lag.ours.n}` },
    { figure: 'streamed run, end to end p50 ms', Agno: round(e2e.agno.p50), ours: `${round(e2e.ours.p50)} (${ratio(e2e.ours.p50, e2e.agno.p50)})`, tokens: '' },
    { figure: 'background start → reply p50 ms', Agno: round(start.agno.p50), ours: `${round(start.ours.p50)} (${ratio(start.ours.p50, start.agno.p50)})`, tokens: '' },
    { figure: `${CONCURRENT} concurrent runs, wall ms`, Agno: round(results.agno.concurrentWallMs), ours: `${round(results.ours.concurrentWallMs)} (${ratio(results.ours.concurrentWallMs, results.agno.concurrentWallMs)})`, tokens: '' },
  ]);
  console.log(`end to end <= 1.05x Agno's: ${e2e.ours.p50 <= 1.05 * e2e.agno.p50 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify({ bench: 'agno-side-by-side', ...machine(), runs: RUNS, starts: STARTS, concurrent: CONCURRENT, lag: { agno: lag.agno, ours: lag.ours }, endToEnd: e2e, start, concurrentWallMs: { agno: results.agno.concurrentWallMs, ours: results.ours.concurrentWallMs } }));
} finally {
  ServerResponse.prototype.write = write;
  await agno?.close();
  await agnoFake.close();
  await h.close();
}
