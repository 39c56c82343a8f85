/**
 * "Nothing done twice", read off run histories: for every activity, Temporal records its final
 * attempt number. A service must have been called at most as often as those attempts add up to
 * (one call per attempt; an attempt is repeated only when the one before it was lost with a
 * killed worker, or failed) and at least once per completed call. A completed call sent again
 * would exceed the sum. Attempts are Temporal's record, so these checks hold however slow the
 * machine: a call retried because a starved worker missed a heartbeat is one more attempt, and one
 * more call at the service, both counted.
 */
import type { Client } from '@temporalio/client';

export interface ActivityAttempts {
  callModel: number;
  callTool: Record<string, number>;
  completed: { callModel: number; callTool: number };
  /** Activities whose last attempt failed with a failure that forbids another (no retry followed). */
  failedForGood: { callModel: number; callTool: number };
}

export async function activityAttempts(client: Client, runIds: string[]): Promise<ActivityAttempts> {
  const totals: ActivityAttempts = { callModel: 0, callTool: {}, completed: { callModel: 0, callTool: 0 }, failedForGood: { callModel: 0, callTool: 0 } };
  for (const runId of runIds) {
    const history = await client.workflow.getHandle(runId).fetchHistory();
    const scheduled = new Map<string, { type: string; tool?: string }>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId);
      const s = event.activityTaskScheduledEventAttributes;
      if (s) {
        const input = s.input?.payloads?.[0]?.data;
        const tool = s.activityType?.name === 'callTool' && input ? (JSON.parse(Buffer.from(input).toString()) as { toolName: string }).toolName : undefined;
        scheduled.set(id, { type: s.activityType?.name ?? '', tool });
      }
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const activity = scheduled.get(String(started.scheduledEventId));
        const attempts = started.attempt ?? 1;
        if (activity?.type === 'callModel') totals.callModel += attempts;
        if (activity?.type === 'callTool' && activity.tool) totals.callTool[activity.tool] = (totals.callTool[activity.tool] ?? 0) + attempts;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed) {
        const activity = scheduled.get(String(completed.scheduledEventId));
        if (activity?.type === 'callModel') totals.completed.callModel += 1;
        if (activity?.type === 'callTool') totals.completed.callTool += 1;
      }
      const failed = event.activityTaskFailedEventAttributes;
      if (failed?.failure?.applicationFailureInfo?.nonRetryable) {
        const activity = scheduled.get(String(failed.scheduledEventId));
        if (activity?.type === 'callModel') totals.failedForGood.callModel += 1;
        if (activity?.type === 'callTool') totals.failedForGood.callTool += 1;
      }
    }
  }
  return totals;
}
