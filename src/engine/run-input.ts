/**
 * What an ended run was started with (its plan, input and settings): kept beside its row in the
 * run store by its start, so reading it needs no worker. A run whose start kept none there
 * (started by a schedule, or before the store kept inputs) is asked for it: the query replays its
 * last execution in a worker (and so takes as long as that history is big).
 */
import type { Client } from '@temporalio/client';
import type { RunInput } from '../contracts/plan.ts';
import { inputQuery } from '../contracts/run-workflow-api.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { queryClosedRun } from './query-run.ts';

export async function startedWith(client: Client, runId: string, store: RunStore | undefined): Promise<RunInput> {
  const kept = await store?.getRunInput(runId);
  return kept ? kept.run : queryClosedRun(client, runId, inputQuery);
}
