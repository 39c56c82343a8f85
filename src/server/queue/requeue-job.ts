/**
 * `POST /jobs/{job_id}/requeue` (Agno's `POST /queue/jobs/{job_id}/requeue`): a failed or cancelled
 * run's input starts again, as a new run in its session (see engine/requeue-run.ts); the answer is
 * the new run's job. Other runs are not requeueable: 409, a conflict with the run's state, as a
 * retry of a run that did not fail answers (Agno answers 400).
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import { jobOfPath } from './get-job.ts';
import { refuseWhenQueueFull } from '../runs/access.ts';
import { jobIdParameter, jobNotFound } from './operation-parts.ts';
import { RequeueQuery } from './schemas.ts';
import { queueStoreOf } from './store-of.ts';
import { jobOf } from './views.ts';

export const requeueJob = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/jobs/{job_id}/requeue',
  operation: () => ({
    summary: 'Requeue a failed or cancelled job: its input starts again as a new run (AgentOS)',
    parameters: [jobIdParameter, ...queryParameters(RequeueQuery)],
    responses: {
      '200': answer('The new run’s job', json(ref('QueueJob'))),
      '404': jobNotFound(),
      '409': error('The job has not failed and was not cancelled, or multitask_strategy=reject and the session has a run in progress'),
      '422': error('Invalid query'),
      '429': error('Too many runs wait to start (MAX_QUEUE_DEPTH); try again after Retry-After seconds'),
      '503': unavailable(),
    },
  }),
  find: jobOfPath,
  query: RequeueQuery,
  async handle(c, deps, { found, query }) {
    if (found.status !== 'ERROR' && found.status !== 'CANCELLED') throw new HttpError(409, `Job ${found.run_id} is not in a requeueable state (${found.status}): only failed and cancelled jobs are.`);
    await refuseWhenQueueFull(deps);
    const { output } = await deps.engine.requeueRun(found.run_id, { multitaskStrategy: query.multitask_strategy ?? deps.queue.multitaskStrategy });
    const { runs } = await queueStoreOf(deps).listQueue({ runId: output.run_id, limit: 1, offset: 0 });
    return c.json(jobOf(runs[0]!));
  },
});
