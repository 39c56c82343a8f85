/**
 * `GET /workflows/{workflow_id}/runs`: a workflow's runs whole, as AgentOS lists them (its
 * `WorkflowRunSchema`, one state read per run), newest first, at most `limit`. Each run is read
 * (see src/engine/read-runs.ts) and sent as soon as it is.
 */
import type { ServerDeps } from '../http/context.ts';
import { jsonArrayResponse } from '../http/json-array-response.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import { workflowRunSchema } from '../wire/workflow-run.ts';
import { workflowOfPath } from './access.ts';
import { listFilters } from './list-filters.ts';
import { runNotFound, workflowIdParameter } from './operation-parts.ts';
import { ListRunsQuery } from './schemas.ts';

export const listWorkflowRuns = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows/{workflow_id}/runs',
  operation: (context) => ({
    summary: 'List runs of a workflow, whole (AgentOS); GET /runs lists summaries',
    parameters: [workflowIdParameter(context), ...queryParameters(ListRunsQuery.omit({ workflow_id: true }))],
    responses: { '200': answer('Runs, newest first', json({ type: 'array', items: ref('WorkflowRunSchema') })), '404': runNotFound(), '422': error('Invalid filter'), '503': unavailable() },
  }),
  find: workflowOfPath,
  query: ListRunsQuery,
  async handle(c, deps, { found: workflow, query }) {
    const runs = await deps.engine.listRuns({ ...listFilters(query, c.get('caller').userId), definitionId: workflow.id });
    const outputs = deps.engine.readRuns(runs.map((run) => run.run_id), { withEvents: true });
    return jsonArrayResponse(c, mapped(outputs, workflowRunSchema));
  },
});

async function* mapped<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}
