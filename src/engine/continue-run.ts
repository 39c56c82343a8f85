/**
 * Answers a run waiting for a person (a step requiring confirmation or input), in one step: the
 * answers go to the workflow as an update, whose validator checks them against the question
 * waiting at that moment and takes at most one answer per question. A caller whose answer comes
 * after another was taken gets a conflict naming the answer taken; one whose answer does not fit
 * the question (wrong step, no `confirmed`, input against its schema) a bad request, and the run
 * gets nothing (docs/adr/0010-approvals-by-update.md).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunState, StepRequirement } from '../contracts/events.ts';
import { alreadyAnswered, answerTaken } from '../contracts/answers.ts';
import { answerUpdate, stateQuery } from '../contracts/run-workflow-api.ts';
import { RunConflictError, RunNotFoundError } from './errors.ts';
import { executionEnd } from './execution-end.ts';
import { queryRun } from './query-run.ts';
import { updateResult } from './run-update.ts';

/** Returns the index of the newest event when the answer was taken: what follows is the continued run. */
export async function continueRun(client: Client, runId: string, answers: StepRequirement[]): Promise<number> {
  try {
    const taken = await updateResult(client, runId, 'the answer', () => client.workflow.getHandle(runId).executeUpdate(answerUpdate, { args: [answers] }));
    return taken.lastEventIndex;
  } catch (err) {
    // No such run, or it has ended (it took another answer and went on to its end, say).
    if (err instanceof WorkflowNotFoundError) throw await notWaiting(client, runId, answers);
    throw err;
  }
}

/**
 * Why a run that is not running takes no answer: which answer it took, if it took one for these
 * steps. Losers of a race for one question land here in numbers, once the winner's answer has
 * run the run to its end: a completed run's state is its result, read without a worker; any
 * other is asked of its workflow, and a run whose state cannot be read in time is still a
 * conflict, told without the answer it took.
 */
async function notWaiting(client: Client, runId: string, answers: StepRequirement[]): Promise<Error> {
  const handle = client.workflow.getHandle(runId);
  let state: RunState | undefined;
  let closedAs: string;
  try {
    const description = await handle.describe();
    closedAs = description.status.name;
    state = closedAs === 'COMPLETED' ? await handle.result() : await queryRun(client, runId, stateQuery).catch(() => undefined);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return new RunNotFoundError(runId);
    throw err;
  }
  // Its state still reads PAUSED when the run was ended outside its code (terminated, timed out).
  const end = await executionEnd(client, runId);
  const status = end ? `${end.status}${end.reason ? `: ${end.reason}` : ''}` : (state?.status ?? closedAs);
  const taken = state && answerTaken(state.step_requirements, answers.map((answer) => answer.step_id));
  return new RunConflictError(runId, taken ? `${alreadyAnswered(runId, taken)} The run is ${status}.` : `Run ${runId} is not waiting for a person (it is ${status}).`);
}
