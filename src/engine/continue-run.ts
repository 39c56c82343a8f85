/**
 * Answers a run waiting for a person (a step requiring confirmation or input). The answer is
 * checked here, against what the waiting step asks, so bad input never reaches the workflow.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunState, StepRequirement } from '../contracts/events.ts';
import { waitingRequirement } from '../contracts/events.ts';
import { continueSignal, stateQuery } from '../contracts/run-workflow-api.ts';
import { validateArguments } from '../definitions/validate-arguments.ts';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError } from './errors.ts';
import { executionEnd } from './execution-end.ts';
import { queryRun } from './query-run.ts';

/** Returns the index of the newest event at that moment: what follows is the continued run. */
export async function continueRun(client: Client, runId: string, answers: StepRequirement[]): Promise<number> {
  let state: RunState;
  try {
    state = await queryRun(client, runId, stateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw err;
  }
  const waiting = waitingRequirement(state);
  if (!waiting) throw new RunConflictError(runId, `Run ${runId} is not waiting for a person (it is ${state.status}).`);
  // Its state still waits when the run was ended outside its code (terminated, timed out).
  const end = await executionEnd(client, runId);
  if (end) throw new RunConflictError(runId, `Run ${runId} is not waiting for a person (it is ${end.status}: ${end.reason}).`);
  const answer = answers.find((candidate) => candidate.step_id === waiting.step_id);
  if (!answer) throw new InvalidRunRequestError(`step_requirements must answer step_id ${waiting.step_id} (${waiting.step_name}).`);
  if (waiting.requires_confirmation && typeof answer.confirmed !== 'boolean') throw new InvalidRunRequestError(`Step ${waiting.step_name} needs confirmed: true or false.`);
  if (waiting.requires_user_input && answer.confirmed !== false) {
    const problems = validateArguments(waiting.user_input_schema ?? { type: 'object' }, answer.user_input ?? {});
    if (problems.length > 0) throw new InvalidRunRequestError(`user_input for step ${waiting.step_name}: ${problems.map((p) => p.replace(/^arguments/, 'user_input')).join('; ')}.`);
  }
  await client.workflow.getHandle(runId).signal(continueSignal, [answer]);
  return state.last_event_index;
}
