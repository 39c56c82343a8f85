/**
 * Memory of the API process while it serves big reads: runs whose model reply is 3.5 MB (streamed
 * in 20,000-character chunks) and runs whose function step returns 20 MB. For each kind, 1, 10 and
 * 100 SSE clients read a completed run's `/events` to its end (each group its own run), then one
 * `GET /workflows/{id}/runs?limit=5` lists five such runs. The API is a child process
 * (./api-child.ts, serving ./big-reads/workflows.ts); its RSS is sampled every 50 ms for the
 * peak, and measured after a forced GC before and 2 s after each read, and once more after the run
 * tails' linger time (30 s), when nothing is being read.
 *
 *   node bench/big-read-memory.ts [clients=1,10,100] [--only reply|step]
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowDefinition } from '../src/definitions/workflow.ts';
import { splitIntoChunks } from '../test/fakes/openai/wire.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { startApiChild } from './api-child.ts';
import type { ApiChild } from './api-child.ts';
import { bigReplyWorkflow, bigStepWorkflow, MB, textOf } from './big-reads/workflows.ts';
import { machine, printMachine, printTable, round } from './stats.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' } } });
const clientCounts = (positionals[0] ?? '1,10,100').split(',').map(Number);
const REPLY_BYTES = 3.5 * MB;
const CHUNK_CHARS = 20_000;
const LINGER_MS = 35_000;
const API_ENTRY = new URL('./big-reads/api.ts', import.meta.url).pathname;

// The worker (here) and the API child share a blob store on local files.
const dataDir = await mkdtemp(join(tmpdir(), 'big-reads-'));
Object.assign(process.env, { BLOB_STORE: 'local', DATA_DIR: dataDir });
const h = await startApiHarness([bigReplyWorkflow, bigStepWorkflow]);
let replies = 0;
h.openai.setHandler(() => {
  const text = textOf(REPLY_BYTES, `reply ${replies++}`);
  return { kind: 'text', text, chunks: splitIntoChunks(text, CHUNK_CHARS) };
});

type Row = Record<string, string | number>;
const rows: Row[] = [];
let api: ApiChild | undefined;
try {
  printMachine();
  api = await startApiChild(h.env, API_ENTRY);
  const child = api;
  console.log(`API process pid ${child.pid}; blobs in ${dataDir}`);

  /** Completed runs of `workflow`, one per input. */
  async function completedRuns(workflow: WorkflowDefinition, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { output } = await h.engine.startRun(workflow.toPlan(), { input: `${workflow.name} ${i}` });
      const done = await h.engine.waitForRun(output.run_id);
      if (done.status !== 'COMPLETED') throw new Error(`run ${output.run_id} ended ${done.status}: ${done.error}`);
      ids.push(output.run_id);
    }
    return ids;
  }

  /** Bytes of a response body, read to its end; for SSE, checks that the stream reached the run's end. */
  async function drain(url: string, sse: boolean): Promise<number> {
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
    let bytes = 0;
    let ended = false;
    // The end of the previous chunk too: the frame's name may straddle two chunks.
    let carry = '';
    for await (const chunk of response.body!) {
      bytes += chunk.byteLength;
      const seen = carry + Buffer.from(chunk).toString('latin1');
      ended ||= seen.includes('event: WorkflowCompleted\n');
      carry = seen.slice(-40);
    }
    if (sse && !ended) throw new Error(`${url}: the stream ended before WorkflowCompleted`);
    return bytes;
  }

  async function measureRead(kind: string, read: string, clients: number, work: () => Promise<number[]>): Promise<void> {
    const before = await child.measure();
    let peak = child.rss();
    const sampler = setInterval(() => (peak = Math.max(peak, child.rss())), 50);
    const started = performance.now();
    let served: number[];
    try {
      served = await work();
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, child.rss());
    await delay(2000);
    const after = await child.measure();
    const row = {
      kind,
      read,
      clients,
      'MB served': round(served.reduce((sum, n) => sum + n, 0) / MB),
      's': round(seconds),
      'RSS before MB': round(before.rss),
      'RSS peak MB': round(peak),
      'RSS after MB': round(after.rss),
      'heap after MB': round(after.heap),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }

  async function benchKind(kind: string, workflow: WorkflowDefinition): Promise<void> {
    const runIds = await completedRuns(workflow, Math.max(5, clientCounts.length));
    const base = `${child.url}/workflows/${workflow.id}/runs`;
    for (const [i, clients] of clientCounts.entries()) {
      const url = `${base}/${runIds[i]}/events`;
      await measureRead(kind, 'SSE /events', clients, () => Promise.all(Array.from({ length: clients }, () => drain(url, true))));
    }
    await measureRead(kind, 'list ?limit=5', 1, async () => [await drain(`${base}?limit=5`, false)]);
  }

  const baseline = await child.measure();
  if (values.only !== 'step') await benchKind('3.5 MB reply', bigReplyWorkflow);
  if (values.only !== 'reply') await benchKind('20 MB step', bigStepWorkflow);
  await delay(LINGER_MS);
  const idle = await child.measure();
  const idleAfter = { linger_s: LINGER_MS / 1000, rss: round(idle.rss), heap: round(idle.heap) };
  console.log();
  console.log(`baseline: RSS ${round(baseline.rss)} MB, heap ${round(baseline.heap)} MB; ${idleAfter.linger_s} s after the last read: RSS ${idleAfter.rss} MB, heap ${idleAfter.heap} MB`);
  printTable(rows);
  console.log(JSON.stringify({ bench: 'big-read-memory', ...machine(), baseline: { rss: round(baseline.rss), heap: round(baseline.heap) }, idleAfter, rows }));
} finally {
  await api?.close();
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
}
