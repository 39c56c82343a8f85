/**
 * Listing runs across sessions, by definition, session, user and status: from the run store when
 * there is one (no worker, no visibility lag), else from Temporal visibility.
 */
import type { Client } from '@temporalio/client';
import type { RunStatus, RunSummary } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import { RUN_STATUS_ATTRIBUTE, SESSION_ID_ATTRIBUTE, USER_ID_ATTRIBUTE, WORKFLOW_ID_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { refinedSummary } from './read-run.ts';
import { executionEnd } from './execution-end.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { queryValue } from './register-search-attributes.ts';
import { EXECUTION_STATUSES, OPEN_STATUSES } from './run-status.ts';
import type { ClosedStatus } from './run-status.ts';

/** Filters of `listRuns`; all optional, combined with AND. */
export interface RunFilters {
  /** The workflow definition's id (`workflow_id` on the wire). */
  definitionId?: string;
  sessionId?: string;
  userId?: string;
  status?: RunStatus;
  /** Most runs returned, newest first; default 100. */
  limit?: number;
}

/** Runs newest first, from Temporal visibility (eventually consistent: a run just started may lag). */
export async function listRuns(client: Client, filters: RunFilters = {}): Promise<RunSummary[]> {
  // An execution that continued as new is not a run of its own: the run is its latest execution.
  const clauses = [`WorkflowType = ${queryValue(RUN_WORKFLOW_TYPE)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (filters.definitionId) clauses.push(`${WORKFLOW_ID_ATTRIBUTE.name} = ${queryValue(filters.definitionId)}`);
  if (filters.sessionId) clauses.push(`${SESSION_ID_ATTRIBUTE.name} = ${queryValue(filters.sessionId)}`);
  if (filters.userId) clauses.push(`${USER_ID_ATTRIBUTE.name} = ${queryValue(filters.userId)}`);
  if (filters.status) clauses.push(statusClause(filters.status));
  const limit = Math.max(1, Math.min(filters.limit ?? 100, 1000));
  const runs: RunSummary[] = [];
  const seen = new Set<string>();
  for await (const execution of client.workflow.list({ query: clauses.join(' AND '), pageSize: Math.min(limit, 100) })) {
    // Newest first: a retried run's earlier, failed execution comes after the retry.
    if (seen.has(execution.workflowId)) continue;
    seen.add(execution.workflowId);
    const summary = await refinedSummary(client, execution);
    // A run Temporal ended for its history limit is Terminated there but ERROR here: not a CANCELLED one.
    if (filters.status && summary.status !== filters.status && !OPEN_STATUSES.includes(filters.status)) continue;
    runs.push(summary);
    if (runs.length >= limit) break;
  }
  return runs;
}

/** Open runs say what they are doing through AgentRunStatus; closed runs through Temporal's status. */
function statusClause(status: RunStatus): string {
  if (OPEN_STATUSES.includes(status)) return `ExecutionStatus = 'Running' AND ${RUN_STATUS_ATTRIBUTE.name} = ${queryValue(status)}`;
  return `(${EXECUTION_STATUSES[status as ClosedStatus].map((s) => `ExecutionStatus = ${queryValue(s)}`).join(' OR ')})`;
}

/**
 * Runs newest first, from the run store. A row still open may be a run that ended outside workflow
 * code (terminate, timeout) and was not read since: Temporal's server says so (describe, no worker).
 */
export async function listStoredRuns(client: Client, store: RunStore, filters: RunFilters = {}): Promise<RunSummary[]> {
  const limit = Math.max(1, Math.min(filters.limit ?? 100, 1000));
  const { runs } = await store.listRuns({ workflowId: filters.definitionId, sessionId: filters.sessionId, userId: filters.userId, status: filters.status, limit });
  const refined = await Promise.all(
    runs.map(async (run) => {
      if (!OPEN_STATUSES.includes(run.status)) return run;
      const end = await executionEnd(client, run.run_id);
      return end ? { ...run, status: end.status } : run;
    }),
  );
  return refined.filter((run) => !filters.status || run.status === filters.status);
}
