/**
 * How a run's Temporal execution ended, also when our workflow code did not end it: an operator's
 * terminate, a workflow execution timeout, Temporal's history limit. The workflow's own state and
 * log know nothing of those ends (its code never ran to them), so every reader asks Temporal and
 * says the same thing: GET, lists and event streams agree on the status and the reason, and a
 * stream ends with a terminal event made here, with the next index, identical for every reader.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { memoOf } from './run-memo.ts';
import type { RunMemo } from './run-memo.ts';
import type { ClosedStatus } from './run-status.ts';

export interface ExecutionEnd {
  status: ClosedStatus;
  /** Why the run ended, in words; empty for a completed run. */
  reason: string;
  /** Unix seconds. */
  closedAt: number;
  memo: RunMemo;
}

/** Reasons Temporal gives when it ends a run whose history grew past its limits. */
const HISTORY_LIMIT = /history (size|count) exceeds limit/i;

/** A closed execution never changes: its end is remembered (per execution). */
const remembered = new Map<string, ExecutionEnd>();
const REMEMBERED = 1000;

/** How the run's latest execution ended; undefined while it runs (or when no run has this id). */
export async function executionEnd(client: Client, runId: string): Promise<ExecutionEnd | undefined> {
  let description;
  try {
    description = await client.workflow.getHandle(runId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const status = description.status.name;
  if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW' || status === 'UNSPECIFIED') return undefined;
  const key = `${runId}/${description.runId}`;
  const known = remembered.get(key);
  if (known) return known;
  const closedAt = Math.floor((description.closeTime ?? new Date()).getTime() / 1000);
  const memo = memoOf(description);
  const closing = await closingEvent(client, runId, description.runId);
  let end: ExecutionEnd;
  switch (status) {
    case 'COMPLETED':
      end = { status: 'COMPLETED', reason: '', closedAt, memo };
      break;
    case 'TERMINATED': {
      const reason = closing?.workflowExecutionTerminatedEventAttributes?.reason || 'no reason given';
      end = HISTORY_LIMIT.test(reason)
        ? { status: 'ERROR', reason: `ended by Temporal: ${reason}`, closedAt, memo }
        : { status: 'CANCELLED', reason: `terminated by operator: ${reason}`, closedAt, memo };
      break;
    }
    case 'TIMED_OUT': {
      const limit = description.raw.executionConfig?.workflowExecutionTimeout?.seconds;
      end = { status: 'ERROR', reason: limit ? `timed out (its execution timeout of ${String(limit)} s passed)` : 'timed out', closedAt, memo };
      break;
    }
    case 'CANCELLED':
      // The words the run's own WorkflowCancelled uses (Agno's), for a cancelled run whose code wrote none.
      end = { status: 'CANCELLED', reason: `Run ${runId} was cancelled`, closedAt, memo };
      break;
    default:
      end = { status: 'ERROR', reason: closing?.workflowExecutionFailedEventAttributes?.failure?.message || 'failed', closedAt, memo };
  }
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, end);
  return end;
}

/** The last event of the execution's history: the one that closed it. */
async function closingEvent(client: Client, workflowId: string, executionRunId: string) {
  const response = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId, runId: executionRunId },
    maximumPageSize: 1,
  });
  return response.history?.events?.[0];
}

/**
 * The terminal event of a log that has none because the run ended outside our code: the next
 * index, the time of the end, the run's own fields. Undefined for a completed run (its code
 * always writes its own end).
 */
export function endingEvent(runId: string, end: ExecutionEnd, index: number): RunEvent | undefined {
  const base = { event_index: index, created_at: end.closedAt, run_id: runId, workflow_id: end.memo.workflow_id, workflow_name: end.memo.workflow_name, session_id: end.memo.session_id };
  switch (end.status) {
    case 'CANCELLED':
      return { event: 'WorkflowCancelled', ...base, status: 'CANCELLED', reason: end.reason, content: end.reason };
    case 'ERROR':
      return { event: 'WorkflowError', ...base, status: 'ERROR', error: end.reason };
    case 'COMPLETED':
      return undefined;
  }
}
