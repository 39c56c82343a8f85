/**
 * The floor's worker (in-process, on its own task queue and connection, tuned like ours:
 * 100 concurrent activities, SDK defaults otherwise) and the fake model's replies to floor requests.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { FakeReply, FakeRequest } from '../../test/fakes/openai.ts';
import { contentCreationReply } from '../../test/support/content-creation-script.ts';
import { createFloorActivities } from './activities.ts';
import type { FloorEndpoints } from './activities.ts';

export const FLOOR_WORKFLOW_TYPE = 'FloorRun';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message) };

export interface FloorWorker {
  taskQueue: string;
  shutdown(): Promise<void>;
}

export async function startFloorWorker(options: { address: string; taskQueue: string; endpoints: FloorEndpoints }): Promise<FloorWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    taskQueue: options.taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)), logger: quiet }),
    activities: createFloorActivities(options.endpoints),
    maxConcurrentActivityTaskExecutions: 100,
  });
  const running = worker.run();
  return {
    taskQueue: options.taskQueue,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Who the content-creation script thinks is calling, by the system text it recognises. */
const SYSTEM: Record<string, string> = {
  leader: '',
  hackernews: 'Extract key insights',
  finance: 'Get stock prices',
  planner: 'Plan a content schedule',
};

/** True for requests of the floor's model activity (model id `floor-<caller>-<turn>`). */
export function isFloorRequest(req: FakeRequest): boolean {
  return req.model.startsWith('floor-');
}

/** The reply the content-creation script gives the same caller at the same turn. */
export function floorReply(req: FakeRequest): FakeReply {
  const [, caller = '', turn = '1'] = req.model.split('-');
  return contentCreationReply({
    ...req,
    system: SYSTEM[caller] ?? 'unknown',
    toolNames: caller === 'leader' ? ['delegate_task_to_member'] : [],
    toolResults: turn === '1' ? [] : [{ callId: 'floor', output: '' }],
  });
}
