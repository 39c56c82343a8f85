/**
 * Deleting a run: Temporal deletes its execution (a running one is terminated first) with its
 * history and visibility record, and the run store its row and events. Its blobs in the data plane go with the next garbage collection,
 * which finds the run gone. Deleting a run Temporal no longer has is not an error.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunStore } from '../run-store/run-store.ts';

/** gRPC's NOT_FOUND: the raw service call answers with it, not with the client's WorkflowNotFoundError. */
const GRPC_NOT_FOUND = 5;

/**
 * `store`: the run store, whose row and events of the run go too. Temporal deletes the execution
 * after it answered (tens of seconds later on a dev server); meanwhile a read that finds no row
 * writes the ended run back from Temporal (read-run.ts). `untilGone`: the row goes only once
 * Temporal no longer has the execution (at most this long, ms), so that no read brings it back.
 */
export async function deleteRun(client: Client, runId: string, store?: RunStore, { untilGone = 0 }: { untilGone?: number } = {}): Promise<void> {
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId: runId } });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError || (err as { code?: number }).code === GRPC_NOT_FOUND)) throw err;
  }
  if (untilGone > 0) await executionGone(client, runId, Date.now() + untilGone);
  await store?.deleteRun(runId);
}

async function executionGone(client: Client, runId: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      await client.workflow.getHandle(runId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return;
      throw err;
    }
    await delay(250);
  }
}
