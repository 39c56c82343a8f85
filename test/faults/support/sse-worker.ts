/**
 * SSE clients in a worker thread, so their parsing does not share the event loop of the server
 * under test: reads every path given in `workerData` at once and posts back the results.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { readSse } from './sse-client.ts';
import type { SseResult } from './sse-client.ts';

export interface SseWorkerInput {
  base: string;
  paths: string[];
  timeoutMs: number;
}

const input = workerData as SseWorkerInput;
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const results: SseResult[] = await Promise.all(input.paths.map((path) => readSse(new URL(input.base), path, { agent, timeoutMs: input.timeoutMs })));
agent.destroy();
parentPort!.postMessage(results);
