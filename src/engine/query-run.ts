/**
 * Queries to a run's workflow for callers answering a request now. A query waits for a worker
 * to answer it; with none polling, or one restarting, it would hold the caller, so it has a deadline.
 */
import type { Client, QueryDefinition } from '@temporalio/client';

/** How long a query may wait for a worker before the caller gives up (or falls back to describing the run). */
export const QUERY_DEADLINE_MS = 5000;

/** Asks the run's workflow (the Temporal workflow whose id is the run id), within the deadline. */
export function queryRun<Result, Args extends unknown[]>(client: Client, runId: string, query: QueryDefinition<Result, Args>, ...args: Args): Promise<Result> {
  return withQueryDeadline(client, () => client.workflow.getHandle(runId).query(query, ...args));
}

/** Calls `ask` (a query) with the query deadline. */
export function withQueryDeadline<Result>(client: Client, ask: () => Promise<Result>): Promise<Result> {
  return client.withDeadline(Date.now() + QUERY_DEADLINE_MS, ask);
}
