/** `POST /schedules` (AgentOS): a schedule of runs of a served workflow, on a Temporal Schedule. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, json, jsonBody, ref, unavailable } from '../openapi/parts.ts';
import { checkRunUser, workflowOfEndpoint } from './access.ts';
import { invalidSchedule, scheduleLinks } from './operation-parts.ts';
import { ScheduleCreate, scheduleSettingsOf } from './schemas.ts';

export const createSchedule = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/schedules',
  operation: () => ({
    summary: 'Create a schedule',
    description: 'Each time the cron is due (in its time zone), a run of the endpoint’s workflow starts with the payload, as POST /workflows/{workflow_id}/runs would start it.',
    requestBody: jsonBody('ScheduleCreate'),
    responses: {
      '201': { ...answer('The schedule', json(ref('ScheduleResponse'))), links: scheduleLinks() },
      ...bodyErrors('json'),
      '403': error('payload.user_id of another user than the one the key is bound to'),
      '404': error('The endpoint names no served workflow'),
      '409': error('A schedule with this name already exists'),
      '422': invalidSchedule(),
      '503': unavailable(),
    },
  }),
  body: { schema: ScheduleCreate, accepts: 'json' },
  async handle(c, deps, { body }) {
    const caller = c.get('caller');
    const workflow = workflowOfEndpoint(deps, body.endpoint);
    checkRunUser(caller, body.payload.user_id);
    const owner = caller.userId;
    // Names are unique per owner, as AgentOS's are. Temporal lists a schedule a moment after it is
    // made, so two creates of one name at the same instant may both pass: the name is not the id.
    if ((await deps.engine.listSchedules()).some((schedule) => schedule.name === body.name && schedule.user_id === (owner ?? null))) {
      throw new HttpError(409, `Schedule with name '${body.name}' already exists`);
    }
    const payload = owner !== undefined ? { ...body.payload, user_id: owner } : body.payload;
    const schedule = await deps.engine.createSchedule({ ...scheduleSettingsOf(body), plan: workflow.toPlan(), payload, enabled: true, userId: owner });
    return c.json(schedule, 201);
  },
});
