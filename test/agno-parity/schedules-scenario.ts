/**
 * The scenario's schedules: one of the content-creation workflow made with a cron and a time zone,
 * read, listed, changed, disabled (a trigger is refused then), enabled, triggered, its runs read,
 * and deleted; and the refusals of a taken name, a cron or time zone that cannot be read, and an
 * unknown schedule. The cron is due once a year, so no run starts by itself during the test.
 */
import { INPUT, WORKFLOW, ended, runIdOf, runPath, runs, sessionOf } from './scenario-parts.ts';
import type { Json, Wire } from './wire.ts';

const schedulePath = (id: string) => `/schedules/${encodeURIComponent(id)}`;

export async function schedules(wire: Wire): Promise<void> {
  const session = sessionOf('schedule');
  const create = {
    name: sessionOf('digest'),
    description: 'The yearly digest',
    cron_expr: '0 9 1 1 *',
    timezone: 'Europe/Berlin',
    endpoint: runs(WORKFLOW),
    method: 'POST',
    payload: { message: INPUT, session_id: session },
  };
  const created = await wire.send('schedules: create', 'POST', '/schedules', { json: create });
  const id = String((created.body as Json | undefined)?.id);
  const path = schedulePath(id);
  const listed = (body: Json) => ((body.data as Json[] | undefined) ?? []).some((schedule) => schedule.id === id);
  // Temporal lists a schedule a moment after it is made: the list (and the name check) wait for it.
  await wire.poll('schedules: list', '/schedules', {}, listed);
  await wire.send('schedules: create with a name taken', 'POST', '/schedules', { json: create });
  await wire.send('schedules: create with a cron that cannot be read', 'POST', '/schedules', { json: { ...create, name: sessionOf('bad-cron'), cron_expr: 'every monday' } });
  await wire.send('schedules: create in an unknown time zone', 'POST', '/schedules', { json: { ...create, name: sessionOf('bad-zone'), timezone: 'Mars/Olympus_Mons' } });
  await wire.send('schedules: read', 'GET', path);
  await wire.send('schedules: update', 'PATCH', path, { json: { cron_expr: '30 8 1 1 *', description: 'The yearly digest, earlier' } });
  await wire.send('schedules: disable', 'POST', `${path}/disable`);
  await wire.send('schedules: trigger a disabled one', 'POST', `${path}/trigger`);
  await wire.send('schedules: list of disabled ones', 'GET', '/schedules', { query: { enabled: 'false' } });
  await wire.send('schedules: enable', 'POST', `${path}/enable`);

  // AgentOS answers a trigger once the run has ended; ours once it has started: both are read to their end.
  const triggered = await wire.send('schedules: trigger', 'POST', `${path}/trigger`);
  await wire.poll('schedules: the triggered run', runPath(WORKFLOW, runIdOf(triggered.body, 'schedules: trigger')), { session_id: session }, ended);
  await wire.send('schedules: runs', 'GET', `${path}/runs`);
  await wire.send('schedules: a run', 'GET', `${path}/runs/${encodeURIComponent(String((triggered.body as Json | undefined)?.id))}`);
  await wire.send('schedules: a run of another schedule', 'GET', `${schedulePath('no-such-schedule')}/runs/${encodeURIComponent(String((triggered.body as Json | undefined)?.id))}`);

  await wire.send('schedules: unknown', 'GET', schedulePath('no-such-schedule'));
  await wire.send('schedules: delete', 'DELETE', path);
  await wire.send('schedules: deleted', 'GET', path);
}
