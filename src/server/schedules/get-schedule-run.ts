/** `GET /schedules/{schedule_id}/runs/{run_id}` (AgentOS): one run the schedule started. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, ref, runIdParameter, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleRunOf } from './schedule-run-view.ts';
import { scheduleIdParameter } from './operation-parts.ts';

export const getScheduleRun = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/schedules/{schedule_id}/runs/{run_id}',
  operation: () => ({
    summary: 'Get a run a schedule started',
    parameters: [scheduleIdParameter, runIdParameter],
    responses: { '200': answer('The run', json(ref('ScheduleRunResponse'))), '404': error('No such schedule (of this user), or no such run of it'), '503': unavailable() },
  }),
  find: scheduleOfPath,
  async handle(c, deps, { found: schedule }) {
    const runId = c.req.param('run_id')!;
    const ref = (await deps.engine.scheduledRuns(schedule.id))?.find((candidate) => candidate.runId === runId);
    const run = ref && (await scheduleRunOf(deps, schedule.id, ref));
    if (!run) throw new HttpError(404, 'Schedule run not found');
    return c.json(run);
  },
});
