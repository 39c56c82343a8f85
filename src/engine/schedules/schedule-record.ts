/**
 * A schedule as AgentOS shows it (its `ScheduleResponse` fields), read from the Temporal Schedule
 * that carries it. The Temporal Schedule is the only copy: its spec holds the cron and time zone,
 * its state whether it is enabled, and its action (a start of our run workflow) the run's input
 * and, in the action's memo under `schedule`, the fields Temporal has no place for (name,
 * description, owner). Temporal keeps when it was created and last changed (paused included). The action's memo is the one memo an update can replace; every run the
 * schedule starts carries it too, so a run says which schedule started it.
 */
import type { ScheduleDescription } from '@temporalio/client';
import type { RunInput } from '../../contracts/plan.ts';
import type { SchedulePayload, ScheduleRecord } from '../../contracts/schedules.ts';

export type { SchedulePayload, ScheduleRecord };

/** The memo key of the schedule's own fields (on the action's memo, so on each run it starts). */
export const SCHEDULE_MEMO = 'schedule';

/** The schedule's fields Temporal has no place for. Their names are stored in Temporal: they never change. */
export interface ScheduleMemo {
  id: string;
  name: string;
  description?: string;
  /** Who owns the schedule: its runs are theirs. */
  user_id?: string;
  /** As given: Temporal's spec keeps the parsed form. Empty: the schedule runs only when triggered. */
  cron_expr: string;
}

export const endpointOf = (workflowId: string) => `/workflows/${workflowId}/runs`;

export function scheduleMemoOf(description: { action: { memo?: Record<string, unknown> } }): ScheduleMemo | undefined {
  return description.action.memo?.[SCHEDULE_MEMO] as ScheduleMemo | undefined;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The record of a described Temporal Schedule; undefined when it is not one of ours. */
export function scheduleRecordOf(description: ScheduleDescription): ScheduleRecord | undefined {
  const memo = scheduleMemoOf(description);
  const action = description.action as { type: string; args?: unknown[]; workflowExecutionTimeout?: number | string };
  const run = action.args?.[0] as RunInput | undefined;
  if (!memo || action.type !== 'startWorkflow' || !run) return undefined;
  const enabled = !description.state.paused;
  const nextRunTimes = enabled ? description.info.nextActionTimes.map(seconds) : [];
  const payload: SchedulePayload = { message: run.input };
  // The session is the schedule's own unless the payload named one.
  if (run.sessionId !== memo.id) payload.session_id = run.sessionId;
  if (run.userId !== undefined) payload.user_id = run.userId;
  if (run.additionalData !== undefined) payload.additional_data = run.additionalData;
  if (run.metadata !== undefined) payload.metadata = run.metadata;
  // Schedules made before runs kept their own limit carry it as Temporal's execution timeout.
  const executionTimeout = action.workflowExecutionTimeout;
  const timeoutSeconds = run.timeout?.seconds ?? (typeof executionTimeout === 'number' ? Math.round(executionTimeout / 1000) : null);
  return {
    id: memo.id,
    user_id: memo.user_id ?? null,
    name: memo.name,
    description: memo.description ?? null,
    method: 'POST',
    endpoint: endpointOf(run.plan.id),
    payload,
    cron_expr: memo.cron_expr || null,
    timezone: description.spec.timezone || 'UTC',
    timeout_seconds: timeoutSeconds,
    // A failed run is retried by hand (POST …/retry), from the step that failed: the schedule never retries it.
    max_retries: 0,
    retry_delay_seconds: 60,
    enabled,
    next_run_at: nextRunTimes[0] ?? null,
    target_type: 'workflow',
    target_id: run.plan.id,
    created_at: seconds(description.info.createdAt),
    updated_at: description.info.lastUpdatedAt ? seconds(description.info.lastUpdatedAt) : null,
    overlap_policy: description.policies.overlap ?? 'SKIP',
    catchup_window_seconds: Math.round(description.policies.catchupWindow / 1000),
    next_run_times: nextRunTimes,
  };
}
