/** Listing runs across sessions from Temporal visibility: by definition, session, user and status. */
import type { Client } from '@temporalio/client';
import type { RunStatus, RunSummary } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import { RUN_STATUS_ATTRIBUTE, SESSION_ID_ATTRIBUTE, USER_ID_ATTRIBUTE, WORKFLOW_ID_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { refinedSummary } from './read-run.ts';
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
