/**
 * The Temporal Web UI's Reset, driven through Temporal's client as the Web UI does it
 * (ResetWorkflowExecution to the workflow task that finished at an event), and the reset points
 * an operator picks.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type EventId = NonNullable<temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId']>;

const idOf = (event: HistoryEvent | undefined) => Number(event?.eventId);

/** The newest execution's history of run `runId`. */
export async function historyOf(client: Client, runId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(runId).fetchHistory()).events ?? [];
}

/** A new execution of run `runId` from the workflow task that finished at `eventId`. */
export async function resetRun(client: Client, runId: string, eventId: number, reason: string): Promise<void> {
  await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: runId },
    reason,
    // protobufjs takes a plain number for an int64 field; the type names only its Long class.
    workflowTaskFinishEventId: eventId as unknown as EventId,
    requestId: randomUUID(),
  });
}

/** The first workflow task: what `temporal workflow reset --type FirstWorkflowTask` picks. */
export function firstWorkflowTask(history: HistoryEvent[]): number {
  return idOf(history.find((event) => event.workflowTaskCompletedEventAttributes));
}

/** The workflow task that scheduled the activity which failed the run: the last one before the failure. */
export function lastWorkflowTaskBeforeFailure(history: HistoryEvent[]): number {
  const failed = history.find((event) => event.activityTaskFailedEventAttributes)!;
  const scheduled = history.find((event) => idOf(event) === Number(failed.activityTaskFailedEventAttributes!.scheduledEventId));
  return Number(scheduled!.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId);
}
