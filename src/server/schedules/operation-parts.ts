/** The pieces the schedule routes' OpenAPI operations share: the schedule's id in paths and their errors. */
import { error } from '../openapi/parts.ts';

export const scheduleIdParameter = { name: 'schedule_id', in: 'path', required: true, schema: { type: 'string' } };
export const scheduleNotFound = () => error('No such schedule (of this user)');
export const invalidSchedule = () => error('Invalid body (details per field), cron expression, time zone, or an endpoint naming no served workflow; nothing is created or changed');
