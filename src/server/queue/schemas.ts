/** What the queue routes read: Agno's list filters of jobs, and the strategy of a requeued run. */
import { z } from 'zod';
import { JOB_STATUSES } from '../../contracts/wire-schemas/queue.ts';
import { MULTITASK_STRATEGIES } from '../../contracts/multitask-strategies.ts';
import { id, queryInteger } from '../wire/common.ts';

/** `GET /jobs` (Agno's list filters); `status` and `session_id` may be repeated to match any of several. */
export const QueueJobsQuery = z.object({
  // A string, checked by the route: an unknown status is Agno's 400 with a sentence, not a schema's 422.
  status: z.string().max(64).optional().describe(`One of ${JOB_STATUSES.join(', ')}; repeat to match any of several`),
  session_id: id.optional().describe('Repeat to match any of several sessions'),
  user_id: id.optional().describe('A caller bound to a user lists that user’s jobs only, whatever this says'),
  limit: queryInteger(1, 1000).default(20),
  page: queryInteger(1, 1_000_000).default(1),
  sort_by: z.string().max(64).default('created_at').describe('created_at or updated_at; other fields sort by created_at'),
  sort_order: z.enum(['asc', 'desc']).default('desc'),
});

/**
 * The same filters as documented: `status` names the statuses a job has. The route still reads
 * any string (QueueJobsQuery), to answer an unknown one with Agno's 400 and its sentence.
 */
export const QueueJobsQueryDocumented = QueueJobsQuery.extend({
  status: z.enum(JOB_STATUSES).optional().describe(`Repeat to match any of several; another status is a 400`),
});

/** `POST /jobs/{job_id}/requeue`: the strategy of the new run in its session (default the deployment’s). */
export const RequeueQuery = z.object({ multitask_strategy: z.enum(MULTITASK_STRATEGIES).optional() });

