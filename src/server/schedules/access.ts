/**
 * What the schedule routes share: the schedule a path names (a caller bound to a user sees only
 * theirs, and another's is reported like a missing one) and the workflow an `endpoint` names.
 */
import type { Context } from 'hono';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { ScheduleRecord } from '../../engine/engine.ts';
import type { Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { workflowOr404 } from '../runs/access.ts';
import { id } from '../wire/common.ts';

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
