/** `GET /jobs/{job_id}` (Agno's `GET /queue/jobs/{job_id}`): one run as a queue job. */
import type { Context } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import type { QueuedRunRecord } from '../../run-store/run-store.ts';
import { jobIdParameter, jobNotFound, noQueueStore } from './operation-parts.ts';
import { queueStoreOf } from './store-of.ts';
import { jobOf } from './views.ts';

/** The job of the route's path, if the caller may see it (another user's is missing), or a 404. */
export async function jobOfPath(c: Context<AppEnv>, deps: ServerDeps): Promise<QueuedRunRecord> {
  const { runs } = await queueStoreOf(deps).listQueue({ runId: c.req.param('job_id')!, limit: 1, offset: 0 });
  const run = runs[0];
  const userId = c.get('caller').userId;
  if (!run || (userId !== undefined && run.user_id !== userId)) throw new HttpError(404, `Job ${c.req.param('job_id')} not found.`);
  return run;
}

export const getJob = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/jobs/{job_id}',
  operation: () => ({
    summary: 'Get a queue job (AgentOS)',
    parameters: [jobIdParameter],
    responses: { '200': answer('The job', json(ref('QueueJob'))), '404': jobNotFound(), '503': noQueueStore() },
  }),
  find: jobOfPath,
  async handle(c, _deps, { found }) {
    return c.json(jobOf(found));
  },
});
