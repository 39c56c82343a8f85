/**
 * `GET /jobs` (Agno's `GET /queue/jobs`): runs as queue jobs, newest first by default, in Agno's
 * pages; a queued one with its place in its session's queue. `status` and `session_id` may be repeated.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref } from '../openapi/parts.ts';
import { noQueueStore } from './operation-parts.ts';
import { QueueJobsQuery, QueueJobsQueryDocumented } from './schemas.ts';
import { JOB_STATUSES } from '../../contracts/wire-schemas/queue.ts';
import type { JobStatus } from '../../contracts/wire-schemas/queue.ts';
import { queueStoreOf } from './store-of.ts';
import { jobOf, runStatusesOf } from './views.ts';
import { HttpError } from '../http/errors.ts';

export const listJobs = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/jobs',
  operation: () => ({
    summary: 'List queue jobs: runs, queued ones with their place in their session’s queue (AgentOS)',
    parameters: queryParameters(QueueJobsQueryDocumented),
    responses: { '200': answer('A page of jobs', json(ref('QueueJobsPage'))), '400': error('An unknown status'), '422': error('Invalid query (details per parameter)'), '503': noQueueStore() },
  }),
  query: QueueJobsQuery,
  async handle(c, deps, { query }) {
    const started = performance.now();
    const store = queueStoreOf(deps);
    const statuses = c.req.queries('status') ?? [];
    const unknown = statuses.find((status) => !(JOB_STATUSES as readonly string[]).includes(status));
    if (unknown !== undefined) throw new HttpError(400, `Invalid status ${JSON.stringify(unknown)}; expected one of ${JOB_STATUSES.join(', ')}.`);
    const sessionIds = c.req.queries('session_id') ?? [];
    const { runs, total } = await store.listQueue({
      statuses: statuses.flatMap((status) => runStatusesOf(status as JobStatus)),
      sessionIds,
      userId: c.get('caller').userId ?? query.user_id,
      sortBy: query.sort_by === 'updated_at' ? 'updated_at' : 'created_at',
      order: query.sort_order,
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
    return c.json({
      data: runs.map(jobOf),
      meta: { page: query.page, limit: query.limit, total_pages: Math.ceil(total / query.limit), total_count: total, search_time_ms: performance.now() - started },
    });
  },
});
