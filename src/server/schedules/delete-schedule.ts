/** `DELETE /schedules/{schedule_id}` (AgentOS): no more runs start; the runs it started stay. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleIdParameter, scheduleNotFound } from './operation-parts.ts';

export const deleteSchedule = defineRoute<ServerDeps>()({
  method: 'delete',
  path: '/schedules/{schedule_id}',
  operation: () => ({
    summary: 'Delete a schedule',
    parameters: [scheduleIdParameter],
    responses: { '204': answer('Deleted; the runs it started stay'), '404': scheduleNotFound(), '503': unavailable() },
  }),
  find: scheduleOfPath,
  async handle(c, deps, { found: schedule }) {
    await deps.engine.deleteSchedule(schedule.id);
    return c.body(null, 204);
  },
});
