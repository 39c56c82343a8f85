/**
 * Token latency through the whole path, for every token: the fake model writes a delta → the
 * model call activity publishes it on the live lane → the API process following the run → SSE →
 * client. The fake streams N fixed-width chunks D ms apart for each of the content-creation
 * workflow's two model calls (the research leader, then the planner); an SSE client reads the
 * run's `/events`. For each chunk: latency = (time the client had all of it) − (time the fake wrote
 * it). Write times are taken by wrapping `ServerResponse.prototype.write` in this process, where
 * the fake runs. Runs are sequential.
 *
 *   node bench/token-latency.ts [--topology all-in-one|cluster] [--reader sse|client|in-process|ai-sdk] [--chunks 200] [--delay 50] [--ttft 250] [--runs 5]
 *
 * The ai-sdk reader starts each run as `useChat` does (`POST /ai-sdk/workflows/{id}/chat`) and
 * reads the answer's text deltas through the AI SDK's own transport and parser.
 *
 * all-in-one: worker and API in this process, the in-memory lane (as `npm start`).
 * cluster: 2 worker processes and 2 API processes through a Redis server started here (as
 * docker-compose.yml); runs alternate between the APIs.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseSse } from '../src/client/sse-parser.ts';
import type { StreamedEvent } from '../src/contracts/live.ts';
import { freePort } from '../src/dev-server/temporal-cli.ts';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm } from '../test/support/http.ts';
import { startEntrypoint } from '../test/support/processes.ts';
import { startRedis } from '../test/live/support/redis-server.ts';
import { DurableAgentsClient } from '../src/client/client.ts';
import { watchDeltaWrites } from './delta-writes.ts';
import { machine, printMachine, printTable, round, summarize } from './stats.ts';
import { DefaultChatTransport } from 'ai';
import type { UIMessage } from 'ai';

const { values: args } = parseArgs({
  options: { topology: { type: 'string', default: 'all-in-one' }, chunks: { type: 'string', default: '200' }, delay: { type: 'string', default: '50' }, runs: { type: 'string', default: '5' }, ttft: { type: 'string', default: '250' }, reader: { type: 'string', default: 'sse' } },
});
const topology = args.topology!;
const chunkCount = Number(args.chunks);
const chunkDelayMs = Number(args.delay);
const runs = Number(args.runs);
// Time to the first token, as a real model has; with 0, a call's first tokens can reach the API
// before the run's log shows the call started, and wait for it (live text follows the log).
const ttftMs = Number(args.ttft);
// Who reads the run: a plain SSE client, our TypeScript client, `workflow.streamRun` in this
// process, or the AI SDK's chat transport (the run started by its POST).
const reader = args.reader!;
if (!['sse', 'client', 'in-process', 'ai-sdk'].includes(reader) || (reader === 'in-process' && topology !== 'all-in-one')) {
  throw new Error('--reader must be sse, client, in-process or ai-sdk (in-process with --topology all-in-one only)');
}

// When the fake wrote each text delta of the current run (performance.now()).
const writes = watchDeltaWrites(() => performance.now());
const written = writes.times;

// The app's workflow, which the worker and API entry points serve: the fake answers every model
// call with the same text, so the research team's leader and the content planner each stream it.
const workflow = contentCreationWorkflow;
// Fixed-width chunks: chunk i ends at character (i + 1) * WIDTH of the content.
const chunks = Array.from({ length: chunkCount }, (_, i) => `t${String(i).padStart(4, '0')} `);
const WIDTH = chunks[0]!.length;

/** The run's stream, as the chosen reader gets it. */
async function* read(api: string, runId: string, signal: AbortSignal): AsyncGenerator<StreamedEvent> {
  if (reader === 'client') return yield* new DurableAgentsClient({ baseUrl: api }).events(workflow.id, runId, { signal });
  if (reader === 'in-process') return yield* workflow.streamRun(runId, { engine: h.engine, signal });
  const response = await fetch(`${api}/workflows/${workflow.id}/runs/${runId}/events`, { signal });
  for await (const frame of parseSse(response.body!)) yield JSON.parse(frame.data) as StreamedEvent;
}

/** A chat's run as the AI SDK's transport reads it, its text deltas as content events (live: no index). */
async function* readChat(api: string, signal: AbortSignal): AsyncGenerator<StreamedEvent> {
  const transport = new DefaultChatTransport<UIMessage>({ api: `${api}/ai-sdk/workflows/${workflow.id}/chat` });
  const message: UIMessage = { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'go' }] };
  const chunks = await transport.sendMessages({ chatId: crypto.randomUUID(), messages: [message], trigger: 'submit-message', messageId: undefined, abortSignal: signal });
  for await (const chunk of chunks) {
    if (chunk.type === 'text-delta') yield { event: 'RunContent', content: chunk.delta } as StreamedEvent;
    if (chunk.type === 'finish') yield { event: 'WorkflowCompleted' } as StreamedEvent;
  }
}

const h = await startApiHarness([workflow]);
const cleanups: (() => Promise<unknown>)[] = [];
try {
  let apiUrls = [h.api.url];
  if (topology === 'cluster') {
    // The in-process worker would take runs too: this topology's runs go to another task queue.
    const redis = await startRedis();
    cleanups.push(() => redis.close());
    const queue = `${h.taskQueue}-cluster`;
    const env = { ...h.env, TEMPORAL_TASK_QUEUE: queue, REDIS_URL: redis.url };
    const workers = await Promise.all([startEntrypoint('worker', env), startEntrypoint('worker', env)]);
    const ports = [await freePort(), await freePort()];
    const apis = await Promise.all(ports.map((port) => startEntrypoint('server', { ...env, PORT: String(port), HOST: '127.0.0.1' })));
    for (const child of [...workers, ...apis]) cleanups.push(async () => child.child.kill('SIGKILL'));
    apiUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  } else if (topology !== 'all-in-one') {
    throw new Error(`--topology must be all-in-one or cluster, not ${topology}`);
  }
  h.openai.setHandler(() => ({ kind: 'text', text: chunks.join(''), chunks, chunkDelayMs, delayMs: ttftMs }));
  printMachine();
  console.log(`${topology}, read by ${reader}: ${runs} run(s), ${chunkCount} chunks ${chunkDelayMs} ms apart after ${ttftMs} ms to the first, per model call ...`);
  const lags: number[] = [];
  const perRun: Record<string, number>[] = [];
  const deadline = chunkCount * chunkDelayMs + 60_000;
  for (let run = 0; run < runs; run++) {
    writes.clear();
    const api = apiUrls[run % apiUrls.length]!;
    const workflowId = workflow.id;
    let runId = '';
    let events: AsyncGenerator<StreamedEvent>;
    if (reader === 'ai-sdk') {
      events = readChat(api, AbortSignal.timeout(deadline));
    } else {
      const started = await postForm(`${api}/workflows/${workflowId}/runs`, { message: 'go', stream: 'false', background: 'true' });
      runId = ((await started.json()) as { run_id: string }).run_id;
      events = read(api, runId, AbortSignal.timeout(deadline));
    }
    let offset = 0;
    let liveFrames = 0;
    let logContent = 0;
    for await (const event of events) {
      const received = performance.now();
      if (event.event === 'WorkflowCompleted' || event.event === 'WorkflowError' || event.event === 'WorkflowCancelled') break;
      if (event.event !== 'RunContent' && event.event !== 'TeamRunContent') continue;
      if (event.event_index === undefined) liveFrames += 1;
      else logContent += 1;
      if (!event.content) continue;
      const before = offset;
      offset += event.content.length;
      // Every chunk this frame completes.
      for (let i = Math.floor(before / WIDTH); i < Math.floor(offset / WIDTH); i++) {
        if (written[i] === undefined) throw new Error(`chunk ${i} arrived before the fake wrote it`);
        lags.push(received - written[i]!);
      }
    }
    // The chat's run: the newest of the workflow's (runs are sequential).
    runId ||= (await h.engine.listRuns({ definitionId: workflowId, limit: 1 }))[0]!.run_id;
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    perRun.push({ run: run + 1, chunks: written.length, 'live frames': liveFrames, 'log RunContent': logContent, signals, 'history events': history.events?.length ?? 0 });
  }
  const lag = summarize(lags);
  console.log();
  printTable(perRun);
  console.log();
  printTable([{ topology, reader, tokens: lag.n, 'p50 ms': round(lag.p50), 'p99 ms': round(lag.p99), 'max ms': round(lag.max) }]);
  console.log(`targets p50 <= 15 ms, p99 <= 50 ms: ${lag.p50 <= 15 && lag.p99 <= 50 ? 'met' : 'MISSED'}`);
  console.log(JSON.stringify({ bench: 'token-latency', topology, reader, ...machine(), chunks: chunkCount, chunkDelayMs, ttftMs, runs, lag: { n: lag.n, p50: round(lag.p50), p99: round(lag.p99), max: round(lag.max) }, perRun }));
} finally {
  writes.restore();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await h.close();
}
