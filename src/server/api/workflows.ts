/** The workflows this server runs: `GET /workflows`, `GET /workflows/{id}` (see describe-workflow.ts). */
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { describeWorkflow, describeWorkflowDetail } from './describe-workflow.ts';

export { describeWorkflow };

export function workflowRoutes(deps: ServerDeps) {
  const app = new Hono<AppEnv>();
  app.get('/workflows', (c) => c.json([...deps.workflows.values()].map((workflow) => describeWorkflow(workflow, deps.namespace))));
  app.get('/workflows/:workflow_id', (c) => {
    const workflow = deps.workflows.get(c.req.param('workflow_id'));
    if (!workflow) throw new HttpError(404, `Workflow ${c.req.param('workflow_id')} not found.`);
    return c.json(describeWorkflowDetail(workflow, deps.namespace));
  });
  return app;
}
