/** A run's stored row as the queue's views show it: Agno's `QueueJobSchema` (schemas.ts). */
import { TERMINAL_STATUSES } from '../../contracts/events.ts';
import type { RunStatus } from '../../contracts/events.ts';
import type { QueuedRunRecord } from '../../run-store/run-store.ts';
import type { JobStatus, QueueJob } from '../../contracts/wire-schemas/queue.ts';

export const JOB_STATUS_OF: Record<RunStatus, JobStatus> = {
  PENDING: 'queued',
  RUNNING: 'running',
  PAUSED: 'paused',
  COMPLETED: 'completed',
  ERROR: 'failed',
  CANCELLED: 'cancelled',
};

/** The run statuses a job status stands for. */
export function runStatusesOf(status: JobStatus): RunStatus[] {
  return (Object.keys(JOB_STATUS_OF) as RunStatus[]).filter((runStatus) => JOB_STATUS_OF[runStatus] === status);
}

export function jobOf(row: QueuedRunRecord): QueueJob {
  const ended = TERMINAL_STATUSES.includes(row.status);
  // A run cancelled while queued never executed: it ends with no step begun.
  const executed = row.status !== 'PENDING' && !(row.status === 'CANCELLED' && row.state.cancellation_stage === 'PENDING');
  return {
    id: row.run_id,
    run_id: row.run_id,
    component_type: 'workflow',
    component_id: row.workflow_id,
    session_id: row.session_id,
    job_type: 'run',
    user_id: row.user_id ?? null,
    // Agno's ticket keeps the message as `input` and the run's other arguments as `kwargs`; its
    // worker's own fields (`scope`, `session_seq`, ...) have no counterpart here.
    payload: { input: row.input, kwargs: row.metadata ? { metadata: row.metadata } : {} },
    status: JOB_STATUS_OF[row.status],
    queue_position: row.queue_position ?? null,
    attempt: executed ? 1 : 0,
    max_attempts: 1,
    idempotency_key: null,
    available_at: row.created_at,
    locked_by: null,
    locked_at: null,
    error: row.state.error ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    completed_at: ended ? row.updated_at : null,
  };
}
