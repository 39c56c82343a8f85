/**
 * A schedule of runs and a run it started, as the /schedules routes answer them (AgentOS's
 * `ScheduleResponse` and `ScheduleRunResponse`, with Temporal's policies beside them): shared by
 * the engine, which reads them from Temporal Schedules, and the client.
 */

/** What a run of the schedule is started with: AgentOS's run form fields. */
export interface SchedulePayload {
  message: string;
  session_id?: string;
  user_id?: string;
  additional_data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface ScheduleRecord {
  id: string;
  user_id: string | null;
  name: string;
  description: string | null;
  method: 'POST';
  /** AgentOS's form of the target: `/workflows/{workflow_id}/runs`. */
  endpoint: string;
  payload: SchedulePayload;
  cron_expr: string | null;
  timezone: string;
  timeout_seconds: number | null;
  max_retries: number;
  retry_delay_seconds: number;
  enabled: boolean;
  /** Unix seconds of the next run, while enabled. */
  next_run_at: number | null;
  target_type: 'workflow';
  target_id: string;
  created_at: number;
  updated_at: number | null;
  // Ours (Temporal's schedule policies and what it plans):
  /** Temporal's overlap policy: SKIP, BUFFER_ONE, BUFFER_ALL, CANCEL_OTHER, TERMINATE_OTHER or ALLOW_ALL. */
  overlap_policy: 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';
  catchup_window_seconds: number;
  next_run_times: number[];
}

/**
 * How a schedule's run went, in AgentOS's words (its scheduler's run records): `running` until
 * the run ends, then `success` (COMPLETED), `paused` (waiting for a person) or `failed` (ERROR or
 * CANCELLED, `error` says which). The run itself has the run statuses, read through the run routes.
 */
export const SCHEDULE_RUN_STATUSES = ['running', 'success', 'paused', 'failed'] as const;
export type ScheduleRunStatus = (typeof SCHEDULE_RUN_STATUSES)[number];

/** A run a schedule started (AgentOS's `ScheduleRunResponse`): an ordinary run, read through the run routes as any other. */
export interface ScheduleRunRecord {
  /** The run's id: the schedule's id and the time it was due. */
  id: string;
  schedule_id: string;
  user_id: string | null;
  attempt: number;
  triggered_at: number | null;
  completed_at: number | null;
  status: ScheduleRunStatus;
  status_code: number | null;
  run_id: string;
  session_id: string | null;
  error: string | null;
  input: { message: string } | null;
  output: { content: string; content_type: string } | null;
  requirements: Record<string, unknown>[] | null;
  created_at: number | null;
}
