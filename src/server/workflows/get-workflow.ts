/** `GET /workflows/{workflow_id}`: one workflow with its steps and the agents and teams they run (see describe-workflow.ts). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { workflowOfPath } from '../runs/access.ts';
import { runNotFound, workflowIdParameter } from '../runs/operation-parts.ts';
import { describeWorkflowDetail } from './describe-workflow.ts';

export const getWorkflow = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows/{workflow_id}',
  operation: (context) => ({
    summary: 'Get a workflow',
    parameters: [workflowIdParameter(context)],
    responses: { '200': answer('Workflow', json(ref('WorkflowDetail'))), '404': runNotFound() },
  }),
  find: workflowOfPath,
  handle: (c, deps, { found: workflow }) => c.json(describeWorkflowDetail(workflow, deps.namespace)),
});
