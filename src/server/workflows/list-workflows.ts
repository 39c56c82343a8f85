/** `GET /workflows`: the workflows this server runs (AgentOS's WorkflowSummaryResponse). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { describeWorkflow } from './describe-workflow.ts';

export const listWorkflows = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows',
  operation: () => ({ summary: 'List workflows', responses: { '200': answer('Workflows', json({ type: 'array', items: ref('WorkflowSummary') })) } }),
  handle: (c, deps) => c.json([...deps.workflows.values()].map((workflow) => describeWorkflow(workflow, deps.namespace))),
});
