/** The workflows this server runs: `GET /workflows`, `GET /workflows/{id}`. */
import { Hono } from 'hono';
import type { Workflow } from '../../steps/workflow.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { HttpError } from '../errors.ts';

export function describeWorkflow(workflow: Workflow) {
  return { id: workflow.id, name: workflow.name, description: workflow.description };
}

export function workflowRoutes(deps: ServerDeps) {
  const app = new Hono<AppEnv>();
  app.get('/workflows', (c) => c.json([...deps.workflows.values()].map(describeWorkflow)));
  app.get('/workflows/:workflow_id', (c) => {
    const workflow = deps.workflows.get(c.req.param('workflow_id'));
    if (!workflow) throw new HttpError(404, `Workflow ${c.req.param('workflow_id')} not found.`);
    const plan = workflow.toPlan();
    return c.json({
      ...describeWorkflow(workflow),
      steps: plan.steps.map((step) => ({
        name: step.name,
        description: step.description,
        executor_type: step.executor.kind,
        executor_name:
          step.executor.kind === 'agent' ? step.executor.agent.name : step.executor.kind === 'team' ? step.executor.team.name : step.executor.ref,
      })),
    });
  });
  return app;
}
