/**
 * A nested workflow runs as a child workflow: its own run (listable, with its own event log and
 * Web UI page), cancelled with its parent.
 */
import { executeChild, uuid4 } from '@temporalio/workflow';
import type { RunInput, StepPlan, WorkflowPlan } from '../contracts/plan.ts';
import type { RunState } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import { initialRunAttributes } from '../contracts/search-attributes.ts';
import type { StepOutput } from '../contracts/activities.ts';
import type { RunScope } from './run-scope.ts';
import { textExcerpt } from '../contracts/text-refs.ts';

export async function runChildWorkflow(scope: RunScope, step: StepPlan, plan: WorkflowPlan, input: string): Promise<StepOutput> {
  const run = scope.run;
  const child: RunInput = { plan, input, sessionId: run.sessionId };
  if (run.userId !== undefined) child.userId = run.userId;
  if (run.additionalData !== undefined) child.additionalData = run.additionalData;
  if (run.timeouts !== undefined) child.timeouts = run.timeouts;
  // The child may run for long: readers of this run see what led to it meanwhile.
  await scope.writeToRunStore('before a child workflow');
  const state = await executeChild<(input: RunInput) => Promise<RunState>>(RUN_WORKFLOW_TYPE, {
    // uuid4() is deterministic in workflow code: a replay names the same child.
    workflowId: `${scope.workflowId}.${step.id}.${uuid4().slice(0, 8)}`,
    args: [child],
    memo: { workflow_id: plan.id, workflow_name: plan.name, session_id: run.sessionId, input: textExcerpt(input, 120), parent_run_id: scope.workflowId, ...(run.userId !== undefined ? { user_id: run.userId } : {}) },
    typedSearchAttributes: initialRunAttributes(plan.id, run.sessionId, run.userId),
    staticSummary: `${plan.name} (in ${run.plan.name} › ${step.name})`,
  });
  return { content: state.content ?? '' };
}
