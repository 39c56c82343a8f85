/**
 * SSE clients in a worker thread, so their parsing does not share the event loop of the server
 * under test: reads every path given in `workerData` at once and posts back the results.
 *
 * The requests go out in small batches, one batch per turn of this thread's loop. Issuing 500
 * requests in one go kept the loop busy for 200-300 ms before it could see any answer: every
 * client's time to its headers counted the issuing of the clients after it, a wait that clients
 * of their own (browsers, processes) never have. Batches a turn apart still connect together.
 */
import http from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { readSse } from './sse-client.ts';
import type { SseResult } from './sse-client.ts';

export interface SseWorkerInput {
  base: string;
  paths: string[];
  timeoutMs: number;
}

/** Requests issued per turn of the loop. */
const BATCH = 10;

const input = workerData as SseWorkerInput;
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const base = new URL(input.base);
const pending: Promise<SseResult>[] = [];
for (const [i, path] of input.paths.entries()) {
  if (i > 0 && i % BATCH === 0) await nextTurn();
  pending.push(readSse(base, path, { agent, timeoutMs: input.timeoutMs }));
}
const results = await Promise.all(pending);
agent.destroy();
parentPort!.postMessage(results);
