/**
 * Answers a run waiting for a person (a step requiring confirmation or input). The answer is
 * checked here, against what the waiting step asks, so bad input never reaches the workflow. The
 * workflow takes it by an update, at most one answer per question: a caller whose answer comes
 * after another was taken gets a conflict naming the answer taken (docs/adr/0010-approvals-by-update.md).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunState, StepRequirement } from '../contracts/events.ts';
import { waitingRequirement } from '../contracts/events.ts';
import { alreadyAnswered, answerTaken } from '../contracts/answers.ts';
import { answerUpdate, stateQuery } from '../contracts/run-workflow-api.ts';
import { validateArguments } from '../definitions/validate-arguments.ts';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError } from './errors.ts';
import { executionEnd } from './execution-end.ts';
import { queryRun } from './query-run.ts';
import { updateResult } from './run-update.ts';

/** Returns the index of the newest event at that moment: what follows is the continued run. */
export async function continueRun(client: Client, runId: string, answers: StepRequirement[]): Promise<number> {
  const state = await readState(client, runId);
  const waiting = waitingRequirement(state);
  if (!waiting) throw notWaiting(runId, state, answers);
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
  // The run may have moved on since it was read: the workflow judges again, and takes it or refuses.
  try {
    await updateResult(runId, client.workflow.getHandle(runId).executeUpdate(answerUpdate, { args: [[answer], state.last_event_index] }));
  } catch (err) {
    // The run ended in between (it took another answer and went on to its end, say): say what it took.
    if (err instanceof WorkflowNotFoundError) throw notWaiting(runId, await readState(client, runId), answers);
    throw err;
  }
  return state.last_event_index;
}

async function readState(client: Client, runId: string): Promise<RunState> {
  try {
    return await queryRun(client, runId, stateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw err;
  }
}

/** The conflict of answering a run that waits for nobody: which answer it took, if it took one for these steps. */
function notWaiting(runId: string, state: RunState, answers: StepRequirement[]): RunConflictError {
  const taken = answerTaken(state.step_requirements, answers.map((answer) => answer.step_id));
  return new RunConflictError(runId, taken ? `${alreadyAnswered(runId, taken)} The run is ${state.status}.` : `Run ${runId} is not waiting for a person (it is ${state.status}).`);
}
