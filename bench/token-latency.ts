/**
 * Token-delta latency through the whole path: fake model → model call activity → delta signals →
 * workflow event log → API run tail (events query) → SSE → client. The fake streams N chunks of
 * fixed width, D ms apart; an SSE client reads the run's `/events` endpoint. For each RunContent
 * event: latency = (time the client received it) − (time the fake wrote the newest chunk in it),
 * and, for the worst token of the batch, the same from the oldest chunk in it. Chunk write times
 * are recorded by wrapping `ServerResponse.prototype.write` in this process (where the fake runs),
 * so timer drift of the fake does not skew them. Runs are sequential.
 *
 *   node bench/token-latency.ts [chunks=200] [chunkDelayMs=50] [runs=5] [tailPollMs]
 *
 * With `tailPollMs` the API's run tails poll at that fixed pace instead of their defaults (50 ms
 * after news, backing off to 100 ms while the run is busy and 500 ms when quiet), which shows how
 * much of the latency the polling adds.
 */
import { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Agent } from '../src/definitions/agent.ts';
import { parseSse } from '../src/client/sse-parser.ts';
import type { RunEvent } from '../src/contracts/events.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import { Step } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm } from '../test/support/http.ts';
import { machine, printMachine, printTable, round, summarize } from './stats.ts';

const [chunkCount = 200, chunkDelayMs = 50, runs = 5, tailPollMs] = process.argv.slice(2).map(Number);
const GROUP = 10; // the delta publisher widens its interval every 10 signals

// When the fake wrote each text delta of the current run (performance.now()).
let written: number[] = [];
const write = ServerResponse.prototype.write;
ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  if (typeof chunk === 'string' && chunk.startsWith('event: response.output_text.delta\n')) written.push(performance.now());
  return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;

const workflow = new Workflow({
  name: 'Token Stream',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Streamer', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
// Fixed-width chunks: chunk i ends at character (i + 1) * WIDTH of the content.
const chunks = Array.from({ length: chunkCount }, (_, i) => `t${String(i).padStart(4, '0')} `);
const WIDTH = chunks[0]!.length;

const h = await startApiHarness([workflow], tailPollMs ? { tails: { pollMs: tailPollMs, maxPollMs: tailPollMs } } : {});
try {
  h.openai.setHandler(() => ({ kind: 'text', text: chunks.join(''), chunks, chunkDelayMs }));
  printMachine();
  console.log(`${runs} run(s), ${chunkCount} chunks ${chunkDelayMs} ms apart each; run tails ${tailPollMs ? `poll every ${tailPollMs} ms` : 'as by default'} ...`);
  const newest: number[] = [];
  const oldest: number[] = [];
  const byGroup: number[][] = [];
  const perRun: Record<string, number>[] = [];
  const deadline = chunkCount * chunkDelayMs + 60_000;
  for (let run = 0; run < runs; run++) {
    written = [];
    const started = await postForm(`${h.api.url}/workflows/${workflow.id}/runs`, { message: 'go', stream: 'false', background: 'true' });
    const { run_id: runId } = (await started.json()) as { run_id: string };
    const response = await fetch(`${h.api.url}/workflows/${workflow.id}/runs/${runId}/events`, { signal: AbortSignal.timeout(deadline) });
    let offset = 0;
    let contentEvents = 0;
    for await (const frame of parseSse(response.body!)) {
      const received = performance.now();
      const event = JSON.parse(frame.data) as RunEvent;
      if (event.event === 'WorkflowCompleted' || event.event === 'WorkflowError' || event.event === 'WorkflowCancelled') break;
      if (event.event !== 'RunContent' || !event.content) continue;
      const first = Math.floor(offset / WIDTH);
      offset += event.content.length;
      const last = Math.ceil(offset / WIDTH) - 1;
      if (written[last] === undefined || written[first] === undefined) throw new Error(`event ${event.event_index} has text the fake has not written yet`);
      newest.push(received - written[last]);
      oldest.push(received - written[first]);
      (byGroup[Math.floor(contentEvents / GROUP)] ??= []).push(received - written[last]);
      contentEvents += 1;
    }
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    perRun.push({ run: run + 1, chunks: written.length, RunContent: contentEvents, signals, 'history events': history.events?.length ?? 0 });
  }

  const a = summarize(newest);
  const b = summarize(oldest);
  console.log();
  printTable(perRun);
  console.log();
  printTable([
    { 'latency from': 'newest chunk in event', n: a.n, 'p50 ms': a.p50, 'p99 ms': a.p99, 'max ms': a.max },
    { 'latency from': 'oldest chunk in event', n: b.n, 'p50 ms': b.p50, 'p99 ms': b.p99, 'max ms': b.max },
  ]);
  console.log(`target p50 (newest chunk) <= 200 ms: ${a.p50 <= 200 ? 'met' : 'MISSED'}`);
  console.log();
  console.log('newest-chunk latency by position of the RunContent event in its run (all runs):');
  printTable(byGroup.map((values, i) => {
    const s = summarize(values);
    return { 'RunContent #': `${i * GROUP + 1}-${(i + 1) * GROUP}`, n: s.n, 'p50 ms': s.p50, 'p99 ms': s.p99 };
  }));
  console.log(JSON.stringify({ bench: 'token-latency', ...machine(), chunks: chunkCount, chunkDelayMs, runs, tailPollMs: tailPollMs ?? null, newest: pick(a), oldest: pick(b), perRun }));
} finally {
  ServerResponse.prototype.write = write;
  await h.close();
}

function pick(s: { n: number; p50: number; p99: number; max: number }) {
  return { n: s.n, p50: round(s.p50), p99: round(s.p99), max: round(s.max) };
}
