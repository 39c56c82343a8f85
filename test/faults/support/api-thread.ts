/**
 * The API of the SSE load test in a thread of its own: its own event loop, Temporal connection,
 * run store connection and live lane (Redis), as an API process has in production, rather than
 * sharing the test's event loop with the worker, the fake model and the test runner's hooks.
 *
 * Answers the test's messages: `stats` (its tails, heap and the workflow queries it sent), `gc`
 * (collects garbage, then the heap), `close`.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from '@temporalio/client';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../../src/data-plane/config.ts';
import { createDataConverter } from '../../../src/data-plane/data-converter.ts';
import { temporalConfigFromEnv } from '../../../src/engine/config.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { connectTemporal } from '../../../src/engine/temporal-connection.ts';
import { liveLaneConfigFromEnv, openLiveLane } from '../../../src/live/config.ts';
import { openRunStore, runStoreConfigFromEnv } from '../../../src/run-store/config.ts';
import { serveApi } from '../../../src/server/serve.ts';
import { TemporalCalls } from '../../support/temporal-calls.ts';
import { writer } from './load-writer.ts';

export interface ApiThreadInput {
  env: NodeJS.ProcessEnv;
  lingerMs: number;
}

export type ApiThreadRequest = { kind: 'stats' } | { kind: 'gc' } | { kind: 'close' };

export interface ApiThreadStats {
  kind: 'stats';
  /** Run tails alive now, and the most seen (sampled every 50 ms) since the last `stats`. */
  tails: number;
  maxTails: number;
  heapMb: number;
  maxHeapMb: number;
  /** Workflow queries this API sent so far, by name, and its describes of executions. */
  queries: [string, number][];
  describes: number;
}

export type ApiThreadMessage = { kind: 'ready'; url: string } | ApiThreadStats | { kind: 'heap'; heapMb: number } | { kind: 'closed' };

const { env, lingerMs } = workerData as ApiThreadInput;
const heapMb = () => getHeapStatistics().used_heap_size / 2 ** 20;

const config = temporalConfigFromEnv(env);
const connection = await connectTemporal({ address: config.address });
const calls = new TemporalCalls();
const dataPlane = dataPlaneConfigFromEnv(env);
const client = new Client({ connection, namespace: config.namespace, dataConverter: createDataConverter(dataPlane), interceptors: { workflow: [calls.interceptor] } });
const runStore = await openRunStore(runStoreConfigFromEnv(env));
const live = openLiveLane(liveLaneConfigFromEnv(env));
const engine = new Engine({ client, taskQueue: config.taskQueue, runStore });
const server = await serveApi({ engine, workflows: [writer], live, tails: { lingerMs }, blobs: openBlobStore(dataPlane), port: 0, hostname: '127.0.0.1' });

let maxTails = 0;
let maxHeap = heapMb();
const sampler = setInterval(() => {
  maxTails = Math.max(maxTails, server.app.tails.size);
  maxHeap = Math.max(maxHeap, heapMb());
}, 50);

const post = (message: ApiThreadMessage) => parentPort!.postMessage(message);
parentPort!.on('message', async (request: ApiThreadRequest) => {
  switch (request.kind) {
    case 'stats':
      post({ kind: 'stats', tails: server.app.tails.size, maxTails, heapMb: heapMb(), maxHeapMb: maxHeap, queries: [...calls.queries], describes: calls.describes });
      maxTails = server.app.tails.size;
      maxHeap = heapMb();
      return;
    case 'gc':
      // `gc()` of this thread's heap, without --expose-gc on the command line.
      setFlagsFromString('--expose-gc');
      (runInNewContext('gc') as () => void)();
      post({ kind: 'heap', heapMb: heapMb() });
      return;
    case 'close':
      clearInterval(sampler);
      await server.close();
      await live.close();
      await runStore.close();
      await connection.close();
      post({ kind: 'closed' });
      parentPort!.close();
  }
});
post({ kind: 'ready', url: server.url });
