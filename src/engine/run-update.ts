/**
 * The result of an update sent to a run's workflow. A refusal by the workflow's validator is told
 * to the caller in the workflow's words: a conflict with the run as it stands (the run is not
 * waiting for it, or another caller's was taken first), or an answer that does not fit the question.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateRefusal } from '../contracts/run-workflow-api.ts';
import { InvalidRunRequestError, RunConflictError } from './errors.ts';

const REFUSALS: Record<UpdateRefusal, (runId: string, message: string) => Error> = {
  AnswerRefused: (runId, message) => new RunConflictError(runId, message),
  RetryRefused: (runId, message) => new RunConflictError(runId, message),
  AnswerInvalid: (_runId, message) => new InvalidRunRequestError(message),
};

export async function updateResult<Ret>(runId: string, update: Promise<Ret>): Promise<Ret> {
  try {
    return await update;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    const refusal = cause instanceof ApplicationFailure && cause.type && Object.hasOwn(REFUSALS, cause.type) ? REFUSALS[cause.type as UpdateRefusal] : undefined;
    if (refusal) throw refusal(runId, cause!.message);
    throw err;
  }
}
