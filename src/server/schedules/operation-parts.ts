/** The pieces the schedule routes' OpenAPI operations share: the schedule's id in paths and their errors. */
import { error, pointer } from '../openapi/parts.ts';

export const scheduleIdParameter = { name: 'schedule_id', in: 'path', required: true, schema: { type: 'string' } };
export const scheduleNotFound = () => error('No such schedule (of this user)');
export const invalidSchedule = () => error('Invalid body (details per field), such as a cron or time zone that cannot be read; nothing is created or changed');
export const targetNotFound = () => error('The endpoint names no served workflow (or, for a path, no such schedule of this user)');

/** What a created schedule leads to (OpenAPI links: clients and test generators follow them). */
export const scheduleLinks = () =>
  Object.fromEntries(
    [
      ['GetSchedule', 'get', ''],
      ['UpdateSchedule', 'patch', ''],
      ['DeleteSchedule', 'delete', ''],
      ['EnableSchedule', 'post', '/enable'],
      ['DisableSchedule', 'post', '/disable'],
      ['TriggerSchedule', 'post', '/trigger'],
      ['ScheduleRuns', 'get', '/runs'],
    ].map(([name, method, suffix]) => [name, { operationRef: pointer('paths', `/schedules/{schedule_id}${suffix}`, method!), parameters: { schedule_id: '$response.body#/id' } }]),
  );
