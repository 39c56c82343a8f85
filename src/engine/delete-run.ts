/**
 * Deleting a run: Temporal deletes its execution (a running one is terminated first) with its
 * history and visibility record, and the run store its row and events. Its blobs in the data plane go with the next garbage collection,
 * which finds the run gone. Deleting a run Temporal no longer has is not an error.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunStore } from '../run-store/run-store.ts';

/** gRPC's NOT_FOUND: the raw service call answers with it, not with the client's WorkflowNotFoundError. */
const GRPC_NOT_FOUND = 5;

/** `store`: the run store, whose row and events of the run go too, once Temporal's execution is gone. */
export async function deleteRun(client: Client, runId: string, store?: RunStore): Promise<void> {
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId: runId } });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError || (err as { code?: number }).code === GRPC_NOT_FOUND)) throw err;
  }
  await store?.deleteRun(runId);
}
