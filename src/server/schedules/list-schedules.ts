/** `GET /schedules` (AgentOS): the caller's schedules, newest first, a page at a time. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import { visibleToCaller } from './access.ts';
import { pageOf, SchedulesQuery } from './schemas.ts';

export const listSchedules = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/schedules',
  operation: () => ({
    summary: 'List schedules',
    parameters: queryParameters(SchedulesQuery),
    responses: { '200': answer('A page of schedules', json(ref('SchedulesPage'))), '422': error('Invalid query (details per parameter)'), '503': unavailable() },
  }),
  query: SchedulesQuery,
  async handle(c, deps, { query }) {
    const started = performance.now();
    const caller = c.get('caller');
    const schedules = (await deps.engine.listSchedules()).filter((schedule) => visibleToCaller(caller, schedule) && (query.enabled === undefined || schedule.enabled === query.enabled));
    return c.json(pageOf(schedules, query, started));
  },
});
