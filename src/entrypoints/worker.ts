/**
 * Worker process: executes runs of the app's workflows. Start as many as load needs; they share
 * the task queue. Configured by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
 * OPENAI_API_KEY and OPENAI_BASE_URL. Stops cleanly on SIGINT / SIGTERM.
 */
import { workflows } from '../app/index.ts';
import { temporalConfigFromEnv } from '../engine/config.ts';
import { createWorker } from '../worker/create-worker.ts';
import { installSdkLogging } from '../worker/logging.ts';

installSdkLogging();
const config = temporalConfigFromEnv();
const worker = await createWorker({ workflows });
console.log(
  `worker ready: task queue ${config.taskQueue} on ${config.address} (namespace ${config.namespace}), ` +
    `workflows: ${workflows.map((workflow) => workflow.name).join(', ')}`,
);
if (!process.env.OPENAI_API_KEY) console.log('warning: OPENAI_API_KEY is not set; model calls will fail until it is.');
await worker.run();
