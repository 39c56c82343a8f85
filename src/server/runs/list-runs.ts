/**
 * `GET /runs`, ours: runs across workflows and sessions as summaries, from Temporal visibility
 * alone, so that it stays cheap for any number of runs.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import { workflowOr404 } from './access.ts';
import { listFilters } from './list-filters.ts';
import { ListRunsQuery } from './schemas.ts';

export const listRuns = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/runs',
  operation: () => ({
    summary: 'List runs across workflows and sessions',
    parameters: queryParameters(ListRunsQuery).map((parameter) =>
      parameter.name === 'workflow_id' ? { ...parameter, description: 'Only runs of this workflow; an unknown one is a 404.' } : parameter,
    ),
    responses: {
      '200': answer('Runs, newest first', json({ type: 'array', items: ref('RunSummary') })),
      '404': error('Unknown workflow_id'),
      '422': error('Invalid filter'),
      '503': unavailable(),
    },
  }),
  query: ListRunsQuery,
  async handle(c, deps, { query }) {
    if (query.workflow_id) workflowOr404(deps, query.workflow_id);
    return c.json(await deps.engine.listRuns(listFilters(query, c.get('caller').userId)));
  },
});
