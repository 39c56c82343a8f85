/**
 * Memory of the API process per open SSE client: the API runs as a child process
 * (`node src/entrypoints/server.ts`, the app's content-creation workflow) so that its memory is not
 * mixed with the worker's, the fakes' or this process's. R runs of a slow model stay open while
 * C SSE clients (spread evenly over the runs) read their `/events` streams. The child's RSS (from
 * /proc/<pid>/status) and heap used, heap total and external memory (via IPC, after a forced GC)
 * are sampled S times in three states: 0 clients (after a short warm-up, so the run tails already
 * exist), C clients, and 0 clients again after they disconnected.
 *
 *   node bench/sse-memory.ts [clients=500] [runs=5] [samples=10]
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseSse } from '../src/client/sse-parser.ts';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { startApiChild } from './api-child.ts';
import type { ApiChild, ApiMemory } from './api-child.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm } from '../test/support/http.ts';
import { machine, printMachine, printTable, round, summarize } from './stats.ts';

const [clientCount = 500, runCount = 5, samples = 10] = process.argv.slice(2).map(Number);
const h = await startApiHarness([contentCreationWorkflow]);
// Every model call (the team leader first) streams for minutes, so the runs stay open.
const words = Array.from({ length: 3000 }, (_, i) => `w${i} `);
h.openai.setHandler(() => ({ kind: 'text', text: words.join(''), chunks: words, chunkDelayMs: 100 }));

const clients: AbortController[] = [];
let child: ApiChild | undefined;
try {
  child = await startApiChild(h.env);
  const api = child;
  const base = `${api.url}/workflows/${contentCreationWorkflow.id}/runs`;

  async function sampleState(state: string, open: number) {
    const taken: ApiMemory[] = [];
    for (let i = 0; i < samples; i++) {
      taken.push(await api.measure());
      await delay(300);
    }
    const rss = summarize(taken.map((t) => t.rss));
    const heap = summarize(taken.map((t) => t.heap));
    const p50 = (key: keyof ApiMemory) => round(summarize(taken.map((t) => t[key])).p50);
    return {
      state,
      clients: open,
      'RSS p50 MB': round(rss.p50),
      'RSS p99 MB': round(rss.p99),
      'heap p50 MB': round(heap.p50),
      'heap p99 MB': round(heap.p99),
      'heap total p50 MB': p50('heapTotal'),
      'external p50 MB': p50('external'),
    };
  }

  /** Opens an SSE client on a run; resolves once its first frame arrived, then keeps reading. */
  function openClient(runId: string, frames: { n: number }): Promise<void> {
    const abort = new AbortController();
    clients.push(abort);
    return new Promise((resolve, reject) => {
      void (async () => {
        try {
          const response = await fetch(`${base}/${runId}/events`, { signal: abort.signal });
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
          for await (const _frame of parseSse(response.body!)) {
            frames.n += 1;
            resolve();
          }
          reject(new Error('stream ended'));
        } catch (err) {
          if (!abort.signal.aborted) reject(err);
        }
      })();
    });
  }

  printMachine();
  console.log(`${clientCount} SSE clients over ${runCount} running runs; API process pid ${api.pid} ...`);
  const runIds: string[] = [];
  for (let i = 0; i < runCount; i++) {
    const response = await postForm(base, { message: `topic ${i}`, stream: 'false', background: 'true' });
    runIds.push(((await response.json()) as { run_id: string }).run_id);
  }
  // Warm-up: one short-lived client per run loads the SSE code paths and creates the run tails.
  const frames = { n: 0 };
  await Promise.all(runIds.map((id) => openClient(id, frames)));
  for (const abort of clients.splice(0)) abort.abort();
  await delay(1000);

  const rows = [await sampleState('before', 0)];
  const opening = Date.now();
  for (let i = 0; i < clientCount; i += 50) {
    const batch = Array.from({ length: Math.min(50, clientCount - i) }, (_, j) => openClient(runIds[(i + j) % runCount]!, frames));
    await Promise.race([Promise.all(batch), delay(60_000).then(() => Promise.reject(new Error('clients not streaming in 60 s')))]);
  }
  const openedIn = (Date.now() - opening) / 1000;
  await delay(2000);
  const framesBefore = frames.n;
  rows.push(await sampleState('open', clients.length));
  const framesWhileOpen = frames.n - framesBefore;
  for (const abort of clients.splice(0)) abort.abort();
  await delay(3000);
  rows.push(await sampleState('after close', 0));

  const per100 = (key: 'RSS p50 MB' | 'heap p50 MB') => round(((rows[1]![key] - rows[0]![key]) / clientCount) * 100);
  console.log();
  printTable(rows);
  console.log(`per 100 open SSE clients: RSS +${per100('RSS p50 MB')} MB, heap +${per100('heap p50 MB')} MB (p50 deltas)`);
  console.log(`${clientCount} clients opened in ${openedIn} s; they received ${framesWhileOpen} frames while sampled`);
  console.log(JSON.stringify({ bench: 'sse-memory', ...machine(), clients: clientCount, runs: runCount, samples, rows, per100Clients: { rssMB: per100('RSS p50 MB'), heapMB: per100('heap p50 MB') } }));
  await Promise.allSettled(runIds.map((id) => h.engine.cancel(id)));
} finally {
  for (const abort of clients) abort.abort();
  await child?.close();
  await h.close();
}
