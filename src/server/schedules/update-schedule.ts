/**
 * `PATCH /schedules/{schedule_id}` (AgentOS): changes what the body names. Each change also takes
 * the workflow's definition as now served, so later runs follow it.
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, json, jsonBody, ref, unavailable } from '../openapi/parts.ts';
import { checkRunUser, scheduleOfPath, workflowOfEndpoint } from './access.ts';
import { invalidSchedule, scheduleIdParameter, targetNotFound } from './operation-parts.ts';
import { ScheduleUpdate, scheduleSettingsOf } from './schemas.ts';

export const updateSchedule = defineRoute<ServerDeps>()({
  method: 'patch',
  path: '/schedules/{schedule_id}',
  operation: () => ({
    summary: 'Update a schedule',
    parameters: [scheduleIdParameter],
    requestBody: jsonBody('ScheduleUpdate'),
    responses: {
      '200': answer('The schedule', json(ref('ScheduleResponse'))),
      ...bodyErrors('json'),
      '403': error('payload.user_id of another user than the one the key is bound to'),
      '404': targetNotFound(),
      '409': error('Another schedule has this name'),
      '422': invalidSchedule(),
      '503': unavailable(),
    },
  }),
  find: scheduleOfPath,
  body: { schema: ScheduleUpdate, accepts: 'json' },
  async handle(c, deps, { found: schedule, body }) {
    const caller = c.get('caller');
    if (Object.keys(body).length === 0) return c.json(schedule);
    const workflow = workflowOfEndpoint(deps, body.endpoint ?? schedule.endpoint);
    checkRunUser(caller, body.payload?.user_id);
    if (body.name !== undefined && body.name !== schedule.name) {
      const taken = (await deps.engine.listSchedules()).some((other) => other.id !== schedule.id && other.name === body.name && other.user_id === schedule.user_id);
      if (taken) throw new HttpError(409, `Schedule with name '${body.name}' already exists`);
    }
    const payload = body.payload && caller.userId !== undefined ? { ...body.payload, user_id: caller.userId } : body.payload;
    const updated = await deps.engine.updateSchedule(schedule.id, { ...scheduleSettingsOf(body), plan: workflow.toPlan(), payload });
    if (!updated) throw new HttpError(404, 'Schedule not found');
    return c.json(updated);
  },
});
