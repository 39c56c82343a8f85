/**
 * The floor's worker as a process of its own (like `src/entrypoints/worker.ts` for ours), for the
 * throughput benchmark: TEMPORAL_ADDRESS, FLOOR_TASK_QUEUE, OPENAI_BASE_URL, HACKERNEWS_API_URL,
 * YAHOO_FINANCE_API_URL. Prints `worker ready` once it polls; stops on SIGINT / SIGTERM.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startFloorWorker } from './worker.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });
const env = process.env;
const worker = await startFloorWorker({
  address: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
  taskQueue: env.FLOOR_TASK_QUEUE ?? 'floor',
  endpoints: { openaiBaseUrl: env.OPENAI_BASE_URL!, hackernewsUrl: env.HACKERNEWS_API_URL!, yahooUrl: env.YAHOO_FINANCE_API_URL! },
});
console.log(`worker ready: floor, task queue ${worker.taskQueue}`);
await new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
await worker.shutdown();
process.exit(0);
