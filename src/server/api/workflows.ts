/** The workflows this server runs: `GET /workflows`, `GET /workflows/{id}`. */
import { Hono } from 'hono';
import { executorName, isStepPlan } from '../../contracts/plan.ts';
import type { StepNodePlan } from '../../contracts/plan.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { AppEnv, ServerDeps } from '../context.ts';
import { HttpError } from '../errors.ts';

export function describeWorkflow(workflow: WorkflowDefinition) {
  return { id: workflow.id, name: workflow.name, description: workflow.description };
}

/** A plan node as the API shows it: steps with their executor, groups with their steps. */
function describeNode(node: StepNodePlan): Record<string, unknown> {
  if (isStepPlan(node)) {
    return { name: node.name, description: node.description, executor_type: node.executor.kind, executor_name: executorName(node) };
  }
  const children = node.kind === 'router' ? node.choices : node.kind === 'condition' ? [...node.steps, ...node.elseSteps] : node.steps;
  return { name: node.name, step_type: node.kind, steps: children.map(describeNode) };
}

export function workflowRoutes(deps: ServerDeps) {
  const app = new Hono<AppEnv>();
  app.get('/workflows', (c) => c.json([...deps.workflows.values()].map(describeWorkflow)));
  app.get('/workflows/:workflow_id', (c) => {
    const workflow = deps.workflows.get(c.req.param('workflow_id'));
    if (!workflow) throw new HttpError(404, `Workflow ${c.req.param('workflow_id')} not found.`);
    return c.json({ ...describeWorkflow(workflow), steps: workflow.toPlan().steps.map(describeNode) });
  });
  return app;
}
