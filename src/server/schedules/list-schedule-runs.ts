/** `GET /schedules/{schedule_id}/runs` (AgentOS): the runs the schedule started, newest first. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleRunOf } from './schedule-run-view.ts';
import { scheduleIdParameter, scheduleNotFound } from './operation-parts.ts';
import { pageOf, ScheduleRunsQuery } from './schemas.ts';

export const listScheduleRuns = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/schedules/{schedule_id}/runs',
  operation: () => ({
    summary: 'List the runs a schedule started',
    parameters: [scheduleIdParameter, ...queryParameters(ScheduleRunsQuery)],
    responses: { '200': answer('A page of its runs', json(ref('ScheduleRunsPage'))), '404': scheduleNotFound(), '422': error('Invalid query (details per parameter)'), '503': unavailable() },
  }),
  find: scheduleOfPath,
  query: ScheduleRunsQuery,
  async handle(c, deps, { found: schedule, query }) {
    const started = performance.now();
    const refs = (await deps.engine.scheduledRuns(schedule.id)) ?? [];
    const page = pageOf(refs, query, started);
    // Only the page's runs are read; one deleted since is left out.
    const runs = await Promise.all(page.data.map((ref) => scheduleRunOf(deps, schedule.id, ref)));
    return c.json({ ...page, data: runs.filter((run) => run !== undefined) });
  },
});
