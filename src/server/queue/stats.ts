/**
 * `GET /stats` (Agno's `GET /queue/stats`): jobs by status and the oldest queued one's age, the
 * queue-health signals to alert on, with the queue's depth and bound. Deployment-wide, so a caller
 * bound to a user is refused (Agno's queue routes are an operator's).
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, ref } from '../openapi/parts.ts';
import { noQueueStore } from './operation-parts.ts';
import type { JobStatus } from '../../contracts/wire-schemas/queue.ts';
import { queueStoreOf } from './store-of.ts';
import { JOB_STATUS_OF } from './views.ts';

export const queueStats = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/stats',
  operation: (context) => ({
    summary: 'Queue stats: jobs by status, the oldest queued job’s age (AgentOS)',
    responses: {
      '200': answer('The queue’s health', json(ref('QueueStats'))),
      ...(context.secured ? { '403': error('A key bound to a user: the stats are the whole deployment’s') } : {}),
      '503': noQueueStore(),
    },
  }),
  async handle(c, deps) {
    if (c.get('caller').userId !== undefined) throw new HttpError(403, 'Queue stats are for operators: this key is bound to a user.');
    const { counts, oldestPendingAt } = await queueStoreOf(deps).queueCounts();
    const jobs: Partial<Record<JobStatus, number>> = {};
    for (const [status, n] of Object.entries(counts)) jobs[JOB_STATUS_OF[status as keyof typeof JOB_STATUS_OF]] = n;
    return c.json({
      counts: jobs,
      oldest_queued_age_seconds: oldestPendingAt === undefined ? null : Math.max(0, Math.floor(Date.now() / 1000) - oldestPendingAt),
      queue_depth: counts.PENDING ?? 0,
      max_queue_depth: deps.queue.maxQueueDepth,
    });
  },
});
