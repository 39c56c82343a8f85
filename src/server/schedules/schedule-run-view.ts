/**
 * A schedule's run as AgentOS shows it (`ScheduleRunResponse`): the run read as any run, its
 * status in the words of AgentOS's scheduler, which records how the run it fired went.
 */
import type { RunStatus } from '../../contracts/events.ts';
import type { ScheduleRunRecord, ScheduleRunStatus } from '../../contracts/schedules.ts';
import type { ScheduledRunRef } from '../../engine/engine.ts';
import type { ServerDeps } from '../http/context.ts';

/** AgentOS's scheduler's status of a run, and the error it records for one that did not complete (its executor's words). */
export function scheduleRunStatusOf(status: RunStatus, error: string | undefined): { status: ScheduleRunStatus; error: string | null } {
  switch (status) {
    case 'PENDING':
    case 'RUNNING':
      return { status: 'running', error: null };
    case 'COMPLETED':
      return { status: 'success', error: null };
    case 'PAUSED':
      return { status: 'paused', error: null };
    case 'CANCELLED':
      return { status: 'failed', error: error ?? 'Run was cancelled' };
    case 'ERROR':
      return { status: 'failed', error: error ?? `Run failed with status ${status}` };
  }
}

/** The schedule's run as AgentOS shows it; undefined when the run is gone (deleted). */
export async function scheduleRunOf(deps: ServerDeps, scheduleId: string, ref: ScheduledRunRef): Promise<ScheduleRunRecord | undefined> {
  const run = await deps.engine.getRun(ref.runId);
  if (!run) return undefined;
  return {
    id: run.run_id,
    schedule_id: scheduleId,
    user_id: run.user_id ?? null,
    attempt: 1,
    triggered_at: ref.startedAt,
    completed_at: null,
    ...scheduleRunStatusOf(run.status, run.error),
    status_code: null,
    run_id: run.run_id,
    session_id: run.session_id,
    input: { message: run.input },
    output: run.content === undefined || run.content === null ? null : { content: run.content, content_type: run.content_type },
    requirements: run.step_requirements ? (run.step_requirements as unknown as ScheduleRunRecord['requirements']) : null,
    created_at: run.created_at,
  };
}
