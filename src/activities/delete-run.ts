/**
 * Deleting a run from a worker: what a session's queue does to the runs a `rollback` cancelled.
 * The run's row stays (CANCELLED) until Temporal has deleted the execution, so that no read writes
 * it back meanwhile (see engine/delete-run.ts); the activity's timeout leaves room for that.
 */
import type { Client } from '@temporalio/client';
import { deleteRun } from '../engine/delete-run.ts';
import type { RunStore } from '../run-store/run-store.ts';

/** Longest the row waits for Temporal's deletion of the execution (ms). */
export const DELETION_WAIT_MS = 90_000;

export function createDeleteRun(deps: { temporal: Client; runStore: RunStore }) {
  return (runId: string): Promise<void> => deleteRun(deps.temporal, runId, deps.runStore, { untilGone: DELETION_WAIT_MS });
}
