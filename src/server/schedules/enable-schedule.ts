/** `POST /schedules/{schedule_id}/enable` and `…/disable` (AgentOS): unpause or pause its Temporal Schedule. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleIdParameter, scheduleNotFound } from './operation-parts.ts';

function stateRoute(enabled: boolean) {
  return defineRoute<ServerDeps>()({
    method: 'post',
    path: `/schedules/{schedule_id}/${enabled ? 'enable' : 'disable'}`,
    operation: () => ({
      summary: enabled ? 'Enable a schedule' : 'Disable a schedule',
      description: enabled ? 'Runs start again when due; those missed while disabled do not.' : 'No run starts until it is enabled; runs already started go on.',
      parameters: [scheduleIdParameter],
      responses: { '200': answer('The schedule’s state', json(ref('ScheduleStateResponse'))), '404': scheduleNotFound(), '503': unavailable() },
    }),
    find: scheduleOfPath,
    async handle(c, deps, { found: schedule }) {
      const changed = await deps.engine.setScheduleEnabled(schedule.id, enabled);
      if (!changed) throw new HttpError(404, 'Schedule not found');
      const { id, name, next_run_at, updated_at } = changed;
      return c.json({ id, name, enabled: changed.enabled, next_run_at, updated_at });
    },
  });
}

export const enableSchedule = stateRoute(true);
export const disableSchedule = stateRoute(false);
