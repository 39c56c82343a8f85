/**
 * The result of an update sent to a run's workflow. A refusal by the workflow's validator (the
 * run cannot take what was sent now: see run-workflow-api.ts) is a conflict with the run's
 * state, told to the caller in the workflow's words.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { UPDATE_REFUSALS } from '../contracts/run-workflow-api.ts';
import { RunConflictError } from './errors.ts';

export async function updateResult<Ret>(runId: string, update: Promise<Ret>): Promise<Ret> {
  try {
    return await update;
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && (UPDATE_REFUSALS as readonly unknown[]).includes(cause.type)) throw new RunConflictError(runId, cause.message);
    throw err;
  }
}
