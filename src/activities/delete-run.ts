/** Deleting a run from a worker: what a session's queue does to the runs a `rollback` cancelled. */
import type { Client } from '@temporalio/client';
import { deleteRun } from '../engine/delete-run.ts';
import type { RunStore } from '../run-store/run-store.ts';

export function createDeleteRun(deps: { temporal: Client; runStore: RunStore }) {
  return (runId: string): Promise<void> => deleteRun(deps.temporal, runId, deps.runStore);
}
