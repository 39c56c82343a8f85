/**
 * `GET /workflows`: the workflows this server runs (AgentOS's WorkflowSummaryResponse); for a
 * token that may read some workflows only (`workflows:<id>:read`), those (see http/auth.ts).
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { describeWorkflow } from './describe-workflow.ts';

export const listWorkflows = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows',
  operation: () => ({ summary: 'List workflows', responses: { '200': answer('Workflows', json({ type: 'array', items: ref('WorkflowSummary') })) } }),
  handle: (c, deps) => {
    const accessible = c.get('accessibleWorkflowIds');
    const workflows = [...deps.workflows.values()].filter((workflow) => !accessible || accessible.has(workflow.id));
    return c.json(workflows.map((workflow) => describeWorkflow(workflow, deps.namespace)));
  },
});
