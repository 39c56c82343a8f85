/**
 * The result of an update sent to a run's workflow. A refusal by the workflow's validator is told
 * to the caller in the workflow's words: a conflict with the run as it stands (the run is not
 * waiting for it, or another caller's was taken first), or an answer that does not fit the question.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { UpdateRefusal } from '../contracts/run-workflow-api.ts';
import { InvalidRunRequestError, RunConflictError, RunUnavailableError } from './errors.ts';

const REFUSALS: Record<UpdateRefusal, (runId: string, message: string) => Error> = {
  AnswerRefused: (runId, message) => new RunConflictError(runId, message),
  RetryRefused: (runId, message) => new RunConflictError(runId, message),
  AnswerInvalid: (_runId, message) => new InvalidRunRequestError(message),
};

/**
 * How long an update may wait for a worker to take or refuse it. Without a worker polling, the
 * client would wait for ever: the caller gets a 503 instead. Longer than a query's deadline:
 * updates racing for one run are judged one workflow task after another.
 */
export const UPDATE_DEADLINE_MS = 15_000;

/**
 * Sends the update (`send`, a call on a workflow handle) within the deadline and returns its
 * result. `what` names it for a caller told that no worker took it in time: Temporal keeps an
 * update it has admitted, and the run judges it when a worker is back (it may take it then).
 */
export async function updateResult<Ret>(client: Client, runId: string, what: string, send: () => Promise<Ret>): Promise<Ret> {
  try {
    return await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, send);
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new RunUnavailableError(
        runId,
        `No worker took ${what} for run ${runId} within ${UPDATE_DEADLINE_MS / 1000} s (are Temporal and the workers running?). What Temporal has received, the run judges when a worker is back, so it may still be taken: read the run before sending it again.`,
      );
    }
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    const refusal = cause instanceof ApplicationFailure && cause.type && Object.hasOwn(REFUSALS, cause.type) ? REFUSALS[cause.type as UpdateRefusal] : undefined;
    if (refusal) throw refusal(runId, cause!.message);
    throw err;
  }
}
