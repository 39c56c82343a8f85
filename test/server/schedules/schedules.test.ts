/**
 * AgentOS's /schedules routes on Temporal Schedules, against the real dev server and a real worker:
 * a schedule's runs are ordinary runs (read, events, retry), written to the run store by the runs
 * themselves; cron and time zone are Temporal's to read (next run times), and what Temporal cannot
 * read is a 422 that creates and changes nothing; a run past the schedule’s timeout_seconds ends
 * ERROR with its terminal event. Every answer conforms to /openapi.json.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { DurableAgentsClient } from '../../../src/client/client.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded, postJson } from '../../support/http.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import { waitUntil } from '../../support/wait.ts';

const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
const flaky = { failing: true };
const fragile = new Workflow({
  name: 'Fragile',
  steps: [
    new Step({
      name: 'Maybe',
      retries: 0,
      executor: () => {
        if (flaky.failing) throw new Error('fragile step failed');
        return 'fragile step done';
      },
    }),
  ],
});

/** A step that outlasts the time limit the test gives its schedule. */
const slow = new Workflow({ name: 'Slow', steps: [new Step({ name: 'Linger', executor: () => delay(5_000).then(() => 'too late') })] });

interface Schedule {
  id: string;
  name: string;
  cron_expr: string | null;
  timezone: string;
  timeout_seconds: number | null;
  enabled: boolean;
  next_run_at: number | null;
  next_run_times: number[];
  endpoint: string;
  target_id: string;
  payload: { message: string; session_id?: string };
  overlap_policy: string;
  catchup_window_seconds: number;
  created_at: number;
  updated_at: number | null;
}
interface ScheduleRun {
  id: string;
  run_id: string;
  schedule_id: string;
  status: string;
  error: string | null;
  session_id: string;
  input: { message: string };
  output: { content: string; content_type: string } | null;
}
interface Page<T> {
  data: T[];
  meta: { total_count: number; search_time_ms: number };
}

let h: ApiHarness;
let url: string;
let conformance: Conformance;
before(async () => {
  h = await startApiHarness([echo, fragile, slow]);
  url = h.api.url;
  // Every answer below is checked against /openapi.json too.
  conformance = await checkResponsesAgainstOpenApi(url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});

let names = 0;
async function create(fields: Record<string, unknown>): Promise<Schedule> {
  const response = await postJson(`${url}/schedules`, { name: `schedule ${++names}`, endpoint: '/workflows/echo/runs', payload: { message: 'hello' }, ...fields });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as Schedule;
}

async function patch(id: string, fields: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}/schedules/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) });
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${url}${path}`);
  assert.equal(response.status, 200, `GET ${path}: ${await response.clone().text()}`);
  return (await response.json()) as T;
}

async function trigger(id: string): Promise<ScheduleRun> {
  const response = await fetch(`${url}/schedules/${id}/trigger`, { method: 'POST' });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as ScheduleRun;
}

const runUrl = (workflow: string, runId: string) => `${url}/workflows/${workflow}/runs/${encodeURIComponent(runId)}`;

/** The hour, minute and weekday of a unix time in a time zone. */
function wallClock(seconds: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(seconds * 1000));
}

describe('schedules', () => {
  it('reads a cron in its time zone: the next run times are the cron’s times there', async () => {
    const schedule = await create({ cron_expr: '30 9 * * 1-5', timezone: 'America/New_York' });
    assert.equal(schedule.cron_expr, '30 9 * * 1-5');
    assert.equal(schedule.timezone, 'America/New_York');
    assert.equal(schedule.enabled, true);
    assert.equal(schedule.target_id, 'echo');
    assert.equal(schedule.overlap_policy, 'SKIP');
    assert.ok(schedule.next_run_times.length >= 3);
    assert.equal(schedule.next_run_at, schedule.next_run_times[0]);
    assert.ok(schedule.next_run_at! > Date.now() / 1000);
    for (const time of schedule.next_run_times) assert.match(wallClock(time, 'America/New_York'), /^(Mon|Tue|Wed|Thu|Fri),? 09:30$/);
    // The same times are not 09:30 in UTC: the zone was applied.
    assert.doesNotMatch(wallClock(schedule.next_run_at!, 'UTC'), /09:30$/);
    assert.deepEqual(await get<Schedule>(`/schedules/${schedule.id}`), schedule);
  });

  it('refuses a cron or a time zone it cannot read with 422, and creates nothing', async () => {
    const refused = `refused ${++names}`;
    const attempts: [Record<string, unknown>, number][] = [
      [{ cron_expr: 'every tuesday' }, 422],
      [{ cron_expr: '61 * * * *' }, 422],
      [{ cron_expr: '* * * * * *' }, 422],
      [{ cron_expr: '0 9 * * *', timezone: 'Mars/Olympus' }, 422],
      [{ endpoint: '/agents/x/runs' }, 422],
      [{ endpoint: '/workflows/nope/runs' }, 404],
    ];
    for (const [fields, status] of attempts) {
      const response = await postJson(`${url}/schedules`, { name: refused, endpoint: '/workflows/echo/runs', payload: { message: 'x' }, ...fields });
      assert.equal(response.status, status, `${JSON.stringify(fields)}: ${await response.text()}`);
    }
    // Temporal lists schedules a moment after their changes: once one made after the refusals is listed, they would be too.
    const marker = await create({});
    const listed = await waitUntil('the schedule made after the refusals to be listed', async () => {
      const page = await get<Page<Schedule>>('/schedules?limit=1000');
      return page.data.some((one) => one.id === marker.id) && page.data;
    });
    assert.deepEqual(listed.filter((one) => one.name === refused), []);
  });

  it('starts runs on its own when due: ordinary runs, in the run store, listed as the schedule’s', async () => {
    // Seven fields: seconds first (Temporal's cron), so it is due every second.
    const schedule = await create({ cron_expr: '* * * * * * *', payload: { message: 'tick' } });
    try {
      // Through the engine, which reads no run: the row must be the run's own writing, not a read's.
      const runId = await waitUntil('a run the schedule started', async () => (await h.engine.scheduledRuns(schedule.id))?.at(-1)?.runId);
      assert.ok(runId.startsWith(`${schedule.id}-`), runId);
      const row = await waitUntil('the run’s own row in the run store, ended', async () => {
        const stored = await h.runStore.getRun(runId);
        return stored?.state.status === 'COMPLETED' && stored;
      });
      assert.equal(row.state.workflow_id, 'echo');
      const runs = await waitUntil('the run listed as the schedule’s', async () => {
        const page = await get<Page<ScheduleRun>>(`/schedules/${schedule.id}/runs`);
        return page.data.some((one) => one.run_id === runId) && page.data;
      });
      const run = runs.find((one) => one.run_id === runId)!;
      assert.equal(run.schedule_id, schedule.id);
      const ended = await pollRunUntilEnded(runUrl('echo', run.run_id));
      assert.equal(ended.status, 'COMPLETED');
      assert.equal(ended.content, 'echo: tick');
      // Its session is the schedule's: all its runs read as one conversation.
      assert.equal(ended.session_id, schedule.id);
      const one = await get<ScheduleRun>(`/schedules/${schedule.id}/runs/${encodeURIComponent(run.run_id)}`);
      // How the run went, in AgentOS's scheduler's words.
      assert.equal(one.status, 'success');
      assert.deepEqual(one.output, { content: 'echo: tick', content_type: 'str' });
      assert.equal(one.input.message, 'tick');
    } finally {
      await fetch(`${url}/schedules/${schedule.id}`, { method: 'DELETE' });
    }
  });

  it('disables and enables: no next run while disabled, and no trigger', async () => {
    const schedule = await create({ cron_expr: '0 * * * *' });
    const disabled = await (await fetch(`${url}/schedules/${schedule.id}/disable`, { method: 'POST' })).json();
    const { updated_at: disabledAt, ...state } = disabled as { updated_at: number };
    assert.deepEqual(state, { id: schedule.id, name: schedule.name, enabled: false, next_run_at: null });
    assert.ok(disabledAt >= schedule.created_at, `updated_at ${disabledAt}`);
    assert.equal((await get<Schedule>(`/schedules/${schedule.id}`)).enabled, false);
    assert.equal((await fetch(`${url}/schedules/${schedule.id}/trigger`, { method: 'POST' })).status, 409);
    await waitUntil('the disabled schedule listed as disabled', async () => (await get<Page<Schedule>>('/schedules?enabled=false')).data.some((other) => other.id === schedule.id));
    assert.ok(!(await get<Page<Schedule>>('/schedules?enabled=true')).data.some((other) => other.id === schedule.id));
    const enabled = (await (await fetch(`${url}/schedules/${schedule.id}/enable`, { method: 'POST' })).json()) as Schedule;
    assert.equal(enabled.enabled, true);
    assert.equal(enabled.next_run_at! % 3600, 0);
  });

  it('triggers a run now; the run reads, streams and retries as any run', async () => {
    flaky.failing = true;
    // No cron: it runs only when triggered.
    const schedule = await create({ endpoint: '/workflows/fragile/runs', payload: { message: 'try', session_id: 'scheduled-session' } });
    assert.equal(schedule.cron_expr, null);
    assert.equal(schedule.next_run_at, null);
    const run = await trigger(schedule.id);
    assert.equal(run.schedule_id, schedule.id);
    assert.equal(run.session_id, 'scheduled-session');
    const failed = await pollRunUntilEnded(runUrl('fragile', run.run_id));
    assert.equal(failed.status, 'ERROR');
    const failedRecord = await get<ScheduleRun>(`/schedules/${schedule.id}/runs/${encodeURIComponent(run.run_id)}`);
    assert.equal(failedRecord.status, 'failed');
    assert.match(failedRecord.error ?? '', /fragile step failed/);
    const events = await fetch(`${runUrl('fragile', run.run_id)}/events?after=-1`);
    assert.equal(events.status, 200);
    assert.match(await events.text(), /WorkflowError/);
    flaky.failing = false;
    const retry = await fetch(`${runUrl('fragile', run.run_id)}/retry`, { method: 'POST' });
    assert.equal(retry.status, 202, await retry.text());
    await waitUntil('the retried run to complete', async () => (await pollRunUntilEnded(runUrl('fragile', run.run_id))).status === 'COMPLETED');
    const listed = await get<Page<ScheduleRun>>(`/schedules/${schedule.id}/runs`);
    assert.deepEqual(listed.data.map((one) => [one.run_id, one.status]), [[run.run_id, 'success']]);
    assert.ok(listed.meta.search_time_ms >= 0, 'AgentOS’s pages say how long the search took');
  });

  it('ends a run past its timeout_seconds ERROR, with its message and terminal event, as any run', async () => {
    const schedule = await create({ endpoint: '/workflows/slow/runs', timeout_seconds: 1 });
    assert.equal(schedule.timeout_seconds, 1);
    const run = await trigger(schedule.id);
    const ended = await pollRunUntilEnded(runUrl('slow', run.run_id));
    assert.equal(ended.status, 'ERROR');
    assert.match(String(ended.error), /Run exceeded its timeout of 1 s\./);
    const events = await fetch(`${runUrl('slow', run.run_id)}/events?after=-1`);
    assert.match(await events.text(), /event: WorkflowError/);
    const record = await get<ScheduleRun>(`/schedules/${schedule.id}/runs/${encodeURIComponent(run.run_id)}`);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /exceeded its timeout of 1 s/);
  });

  it('changes what PATCH names, refuses a cron or time zone that cannot be read, and deletes', async () => {
    const schedule = await create({ cron_expr: '0 6 * * *', description: 'morning' });
    const response = await patch(schedule.id, { payload: { message: 'changed' }, cron_expr: '0 7 * * *', timezone: 'Europe/Paris', overlap_policy: 'BUFFER_ONE', catchup_window_seconds: 600 });
    assert.equal(response.status, 200, await response.clone().text());
    const changed = (await response.json()) as Schedule & { description: string };
    assert.equal(changed.cron_expr, '0 7 * * *');
    assert.equal(changed.timezone, 'Europe/Paris');
    assert.equal(changed.description, 'morning');
    assert.equal(changed.overlap_policy, 'BUFFER_ONE');
    assert.equal(changed.catchup_window_seconds, 600);
    assert.equal(changed.created_at, schedule.created_at);
    assert.ok(changed.updated_at! >= schedule.created_at);
    assert.match(wallClock(changed.next_run_at!, 'Europe/Paris'), /07:00$/);
    // A bad cron changes nothing.
    assert.equal((await patch(schedule.id, { cron_expr: 'not a cron' })).status, 422);
    assert.equal((await patch(schedule.id, { cron_expr: '0 9-5 * * *' })).status, 422);
    assert.equal((await patch(schedule.id, { timezone: 'Nowhere/Land' })).status, 422);
    assert.deepEqual(await get<Schedule>(`/schedules/${schedule.id}`), changed);
    // Its runs start with the new payload.
    const run = await trigger(schedule.id);
    assert.equal((await pollRunUntilEnded(runUrl('echo', run.run_id))).content, 'echo: changed');

    assert.equal((await fetch(`${url}/schedules/${schedule.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(`${url}/schedules/${schedule.id}`)).status, 404);
    assert.equal((await fetch(`${url}/schedules/${schedule.id}/runs`)).status, 404);
    // The runs it started stay.
    assert.equal((await fetch(runUrl('echo', run.run_id))).status, 200);
  });

  it('refuses a second schedule of the same name (409), and answers 404 for an unknown schedule', async () => {
    const schedule = await create({});
    await waitUntil('the schedule to be listed', async () => (await get<Page<Schedule>>('/schedules?limit=1000')).data.some((one) => one.id === schedule.id));
    const again = await postJson(`${url}/schedules`, { name: schedule.name, endpoint: '/workflows/echo/runs', payload: { message: 'x' } });
    assert.equal(again.status, 409);
    for (const path of ['', '/runs', '/runs/x']) assert.equal((await fetch(`${url}/schedules/no-such-schedule${path}`)).status, 404);
    assert.equal((await fetch(`${url}/schedules/no-such-schedule/trigger`, { method: 'POST' })).status, 404);
  });
});

describe('schedules in /openapi.json', () => {
  it('documents every schedule route and the cron pattern', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { required?: string[]; properties: Record<string, { pattern?: string }> }> } };
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/schedules')).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual(routes.sort(), [
      'DELETE /schedules/{schedule_id}',
      'GET /schedules',
      'GET /schedules/{schedule_id}',
      'GET /schedules/{schedule_id}/runs',
      'GET /schedules/{schedule_id}/runs/{run_id}',
      'PATCH /schedules/{schedule_id}',
      'POST /schedules',
      'POST /schedules/{schedule_id}/disable',
      'POST /schedules/{schedule_id}/enable',
      'POST /schedules/{schedule_id}/trigger',
    ]);
    const create = doc.components.schemas.ScheduleCreate!;
    assert.deepEqual(create.required?.sort(), ['endpoint', 'name', 'payload']);
    const cron = new RegExp(create.properties.cron_expr!.pattern!);
    assert.ok(cron.test('30 9 * * 1-5') && !cron.test('30 9 * * 5-1'));
  });
});

describe('schedules through the TypeScript client', () => {
  it('creates, triggers, lists, changes, disables and deletes', async () => {
    const client = new DurableAgentsClient({ baseUrl: url });
    const schedule = await client.createSchedule({ name: `client ${++names}`, workflowId: 'echo', message: 'from the client', cronExpr: '0 12 * * *', timezone: 'Asia/Tokyo' });
    assert.equal(schedule.endpoint, '/workflows/echo/runs');
    assert.match(wallClock(schedule.next_run_at!, 'Asia/Tokyo'), /12:00$/);
    const run = await client.triggerSchedule(schedule.id);
    assert.equal((await client.waitUntilDone('echo', run.run_id, { pollMs: 100 })).content, 'echo: from the client');
    assert.equal((await client.getScheduleRun(schedule.id, run.run_id)).status, 'success');
    assert.deepEqual((await client.listScheduleRuns(schedule.id)).data.map((one) => one.run_id), [run.run_id]);
    assert.equal((await client.updateSchedule(schedule.id, { message: 'changed' })).payload.message, 'changed');
    assert.equal((await client.setScheduleEnabled(schedule.id, false)).enabled, false);
    await waitUntil('the schedule listed as disabled', async () => (await client.listSchedules({ enabled: false })).data.some((one) => one.id === schedule.id));
    await client.deleteSchedule(schedule.id);
    await assert.rejects(client.getSchedule(schedule.id), { status: 404 });
  });
});
