/**
 * Queries to a run's workflow for callers answering a request now. A query waits for a worker
 * to answer it; with none polling, or one restarting, it would hold the caller, so it has a deadline.
 */
import type { Client, QueryDefinition } from '@temporalio/client';

/** How long a query may wait for a worker before the caller gives up (or falls back to describing the run). */
export const QUERY_DEADLINE_MS = 5000;

/**
 * The same for the reads of an operator's action on a run that has closed (a retry reads its
 * input, state and log): a query on a closed run replays its whole history in a worker, which a
 * busy worker may take longer than a read's deadline to do, and an action is worth the wait.
 */
export const CLOSED_RUN_QUERY_DEADLINE_MS = 30_000;

/** Asks the run's workflow (the Temporal workflow whose id is the run id), within the deadline. */
export function queryRun<Result, Args extends unknown[]>(client: Client, runId: string, query: QueryDefinition<Result, Args>, ...args: Args): Promise<Result> {
  return withQueryDeadline(client, () => client.workflow.getHandle(runId).query(query, ...args));
}

/** `queryRun` for an operator's action on a closed run, within `CLOSED_RUN_QUERY_DEADLINE_MS`. */
export function queryClosedRun<Result, Args extends unknown[]>(client: Client, runId: string, query: QueryDefinition<Result, Args>, ...args: Args): Promise<Result> {
  return withQueryDeadline(client, () => client.workflow.getHandle(runId).query(query, ...args), CLOSED_RUN_QUERY_DEADLINE_MS);
}

/** Calls `ask` (a query) within `deadlineMs`, the query deadline unless told. */
export function withQueryDeadline<Result>(client: Client, ask: () => Promise<Result>, deadlineMs = QUERY_DEADLINE_MS): Promise<Result> {
  return client.withDeadline(Date.now() + deadlineMs, ask);
}
