/**
 * Reading one run: its output from the workflow's `state` query, or, when no worker answers,
 * from what Temporal alone knows (the execution's status, memo and search attributes).
 */
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { RunSummary } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE, stateQuery } from '../contracts/run-workflow-api.ts';
import { RUN_STATUS_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { RunNotFoundError } from './errors.ts';
import { queryRun } from './query-run.ts';
import { memoOf } from './run-memo.ts';
import { WorkflowRunOutput } from './run-output.ts';
import { statusOf } from './run-status.ts';

/** Who a run belongs to and its coarse status, from Temporal alone (no worker needed); undefined if unknown. */
export async function describeRunSummary(client: Client, runId: string): Promise<RunSummary | undefined> {
  try {
    const description = await client.workflow.getHandle(runId).describe();
    return description.type === RUN_WORKFLOW_TYPE ? summaryOf(description) : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** The run's current output, or undefined when no run has this id. */
export async function getRun(client: Client, runId: string): Promise<WorkflowRunOutput | undefined> {
  try {
    return new WorkflowRunOutput(await queryRun(client, runId, stateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    // No worker to answer (or the run has not begun): describe the execution instead.
    return describeRun(client, runId);
  }
}

/** Waits for the run to end and returns its final output (status COMPLETED, ERROR or CANCELLED). */
export async function waitForRun(client: Client, runId: string): Promise<WorkflowRunOutput> {
  try {
    await client.workflow.getHandle(runId).result();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    if (!(err instanceof WorkflowFailedError)) throw err;
  }
  const output = await getRun(client, runId);
  if (!output) throw new RunNotFoundError(runId);
  return output;
}

/** A run's summary from a described or listed execution. */
export function summaryOf(execution: Pick<WorkflowExecutionInfo, 'workflowId' | 'memo' | 'status' | 'startTime' | 'typedSearchAttributes'>): RunSummary {
  const memo = memoOf(execution);
  const summary: RunSummary = {
    // The Temporal workflow id is our run id; `workflow_id` is the definition id, as on Agno's wire.
    run_id: execution.workflowId,
    workflow_id: memo.workflow_id,
    workflow_name: memo.workflow_name,
    session_id: memo.session_id,
    input: memo.input,
    status: statusOf(execution),
    created_at: Math.floor(execution.startTime.getTime() / 1000),
  };
  // An open run's own word on its status (PENDING, RUNNING, PAUSED) is finer than Temporal's "Running".
  const own = execution.typedSearchAttributes?.get(RUN_STATUS_ATTRIBUTE);
  if (summary.status === 'RUNNING' && (own === 'PENDING' || own === 'PAUSED')) summary.status = own;
  if (memo.user_id !== undefined) summary.user_id = memo.user_id;
  return summary;
}

/** The run's output from Temporal alone: its memo, status and, once it has ended, result or failure. */
async function describeRun(client: Client, runId: string): Promise<WorkflowRunOutput | undefined> {
  const handle = client.workflow.getHandle(runId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  if (description.type !== RUN_WORKFLOW_TYPE) return undefined;
  let status = statusOf(description);
  if (status === 'COMPLETED') return new WorkflowRunOutput(await handle.result());
  const error = status === 'ERROR' ? await failureMessage(client, runId) : undefined;
  // Only the start events in history: no worker has picked the run up yet.
  if (status === 'RUNNING' && (description.historyLength ?? 0) <= 2) status = 'PENDING';
  return new WorkflowRunOutput({
    ...memoOf(description),
    run_id: runId,
    status,
    error,
    step_results: [],
    metrics: { steps: {} },
    created_at: Math.floor(description.startTime.getTime() / 1000),
    last_event_index: -1,
  });
}

async function failureMessage(client: Client, runId: string): Promise<string | undefined> {
  try {
    await client.workflow.getHandle(runId).result();
    return undefined;
  } catch (err) {
    return err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : String(err);
  }
}
