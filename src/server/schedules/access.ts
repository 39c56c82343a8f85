/**
 * What the schedule routes share: the schedule a path names (a caller bound to a user sees only
 * theirs, and another's is reported like a missing one), the workflow an `endpoint` names, and a
 * schedule's run as AgentOS shows it (`ScheduleRunResponse`).
 */
import type { Context } from 'hono';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { ScheduledRunRef, ScheduleRecord } from '../../engine/engine.ts';
import type { Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { workflowOr404 } from '../runs/access.ts';
import { id } from '../wire/common.ts';
import type { ScheduleRunRecord } from '../../contracts/schedules.ts';

export function visibleToCaller(caller: Caller, schedule: ScheduleRecord): boolean {
  return caller.userId === undefined || schedule.user_id === caller.userId;
}

/** The schedule of the route's path (`schedule_id`), or a 404. */
export async function scheduleOfPath(c: Context<AppEnv>, deps: ServerDeps): Promise<ScheduleRecord> {
  const scheduleId = c.req.param('schedule_id')!;
  // Schedules are made with UUIDs: an id no schedule can have (too long for Temporal, say) is not found without asking.
  if (!id.safeParse(scheduleId).success) throw new HttpError(404, 'Schedule not found');
  const schedule = await deps.engine.describeSchedule(scheduleId);
  if (!schedule || !visibleToCaller(c.get('caller'), schedule)) throw new HttpError(404, 'Schedule not found');
  return schedule;
}

/** The served workflow an endpoint (`/workflows/{workflow_id}/runs`) names, or a 404 as a start of its runs would answer. */
export function workflowOfEndpoint(deps: ServerDeps, endpoint: string): WorkflowDefinition {
  const segment = endpoint.split('/')[2]!;
  let workflowId: string;
  try {
    workflowId = decodeURIComponent(segment);
  } catch {
    workflowId = segment;
  }
  return workflowOr404(deps, workflowId);
}

/** A caller bound to a user schedules runs of theirs only (as a start of a run does). */
export function checkRunUser(caller: Caller, userId: string | undefined): void {
  if (caller.userId !== undefined && userId !== undefined && userId !== caller.userId) throw new HttpError(403, 'user_id does not match the authenticated user.');
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
    status: run.status,
    status_code: null,
    run_id: run.run_id,
    session_id: run.session_id,
    error: run.error ?? null,
    input: { message: run.input },
    output: run.content === undefined || run.content === null ? null : { content: run.content },
    requirements: run.step_requirements ? (run.step_requirements as unknown as ScheduleRunRecord['requirements']) : null,
    created_at: run.created_at,
  };
}
