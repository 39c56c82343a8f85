/** `POST /schedules/{schedule_id}/trigger` (AgentOS): start a run of the schedule now, whatever its overlap policy. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, ref, unavailable } from '../openapi/parts.ts';
import { scheduleOfPath } from './access.ts';
import { scheduleRunOf } from './schedule-run-view.ts';
import { scheduleIdParameter, scheduleNotFound } from './operation-parts.ts';

export const triggerSchedule = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/schedules/{schedule_id}/trigger',
  operation: () => ({
    summary: 'Start a run of a schedule now',
    parameters: [scheduleIdParameter],
    responses: {
      '200': answer('The run it started (an ordinary run: read, stream and retry it as any other)', json(ref('ScheduleRunResponse'))),
      '404': scheduleNotFound(),
      '409': error('The schedule is disabled'),
      '503': unavailable(),
    },
  }),
  find: scheduleOfPath,
  async handle(c, deps, { found: schedule }) {
    if (!schedule.enabled) throw new HttpError(409, 'Schedule is disabled');
    const started = await deps.engine.triggerSchedule(schedule.id);
    if (!started) throw new HttpError(404, 'Schedule not found');
    const run = await scheduleRunOf(deps, schedule.id, started);
    if (!run) throw new HttpError(404, 'Schedule run not found');
    deps.metrics.runsStarted.inc({ workflow: schedule.target_id });
    c.set('runId', run.run_id);
    return c.json(run);
  },
});
