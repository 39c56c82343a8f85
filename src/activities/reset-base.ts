/**
 * The activity a run calls after an operator reset it (see src/workflows/reset-log.ts): finds in
 * the run's history which execution the reset started from, and archives that execution's whole
 * log to the blob store, so the run's log goes on after it instead of replacing what clients read.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { ResetBaseResult } from '../contracts/activities.ts';
import { archiveLog } from '../engine/archive-log.ts';

export function createCarryResetBase(deps: { temporal: Client }) {
  return async function carryResetBase(): Promise<ResetBaseResult> {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw ApplicationFailure.nonRetryable('carryResetBase runs only as part of a run.', 'NotInRun');
    const reset = await findReset(deps.temporal, execution.workflowId, execution.runId);
    const { log } = await archiveLog(deps.temporal, execution.workflowId, { execution: reset.baseExecutionId, withEnding: false });
    return { log, baseExecutionId: reset.baseExecutionId, executionId: execution.runId, reason: reset.reason };
  };
}

/**
 * The reset that created execution `runId`: Temporal writes it into the new history as a
 * workflow task that failed with cause RESET_WORKFLOW, naming the base and new executions. A
 * history reset more than once holds one such event per reset; this execution's is the one that
 * names it as the new execution.
 */
async function findReset(client: Client, workflowId: string, runId: string): Promise<{ baseExecutionId: string; reason: string }> {
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 1000,
      nextPageToken,
    });
    for (const event of page.history?.events ?? []) {
      const failed = event.workflowTaskFailedEventAttributes;
      if (failed?.newRunId === runId && failed.baseRunId) return { baseExecutionId: failed.baseRunId, reason: failed.failure?.message || 'no reason given' };
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  throw ApplicationFailure.nonRetryable(`Execution ${runId} of run ${workflowId} was not started by a reset.`, 'NotReset');
}
