/** `GET /schedules/{schedule_id}` (AgentOS). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleIdParameter, scheduleNotFound } from './operation-parts.ts';

export const getSchedule = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/schedules/{schedule_id}',
  operation: () => ({
    summary: 'Get a schedule',
    parameters: [scheduleIdParameter],
    responses: { '200': answer('The schedule', json(ref('ScheduleResponse'))), '404': scheduleNotFound(), '503': unavailable() },
  }),
  find: scheduleOfPath,
  handle(c, _deps, { found: schedule }) {
    return c.json(schedule);
  },
});
