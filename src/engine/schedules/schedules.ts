/**
 * Schedules of runs on Temporal Schedules: a schedule's action starts our run workflow as a start
 * through the API does (same workflow type, task queue, input, memo, search attributes and summary;
 * see run-execution.ts), so each run it starts is an ordinary run (read, stream, retry). Temporal
 * names each run `{schedule id}-{time it was due}`. Its run store row is written by the run
 * itself, with its first record; until then a read finds the run through Temporal (see read-run.ts).
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Client, ScheduleDescription, ScheduleOptionsStartWorkflowAction, ScheduleSpec } from '@temporalio/client';
import type { RunInput, WorkflowPlan } from '../../contracts/plan.ts';
import { RUN_WORKFLOW_TYPE } from '../../contracts/run-workflow-api.ts';
import type { RunWorkflow } from '../../contracts/run-workflow-api.ts';
import { initialRunAttributes } from '../../contracts/search-attributes.ts';
import { InvalidRunRequestError } from '../errors.ts';
import { runMemo } from '../run-memo.ts';
import { SCHEDULE_MEMO, scheduleRecordOf } from './schedule-record.ts';
import type { ScheduleMemo, SchedulePayload, ScheduleRecord } from './schedule-record.ts';

export type { ScheduleRecord, SchedulePayload } from './schedule-record.ts';
export { ScheduleOverlapPolicy };

/** What a schedule is made of; a change names only what changes (`ScheduleChange`). */
export interface ScheduleSettings {
  name: string;
  description?: string;
  /** The plan of the workflow its runs run (compiled anew on each change, so runs follow the served definition). */
  plan: WorkflowPlan;
  /** Temporal's cron syntax (5 fields, or 6 with years, or 7 with seconds first; `@every 10s`, `@daily`…); empty: only triggered. */
  cronExpr: string;
  /** IANA time zone the cron is read in. */
  timezone: string;
  payload: SchedulePayload;
  /** Longest each run may take: past it the run ends ERROR with its terminal event, as any run with `timeout_seconds` (RunClock); none by default. */
  timeoutSeconds?: number;
  /** What a due run does while the previous one still runs; default SKIP (Temporal's). */
  overlap: ScheduleOverlapPolicy;
  /** How late a run missed while Temporal was down may still start; default 1 year (Temporal's). */
  catchupWindowSeconds?: number;
  enabled: boolean;
}

export type ScheduleChange = Partial<Omit<ScheduleSettings, 'enabled'>> & { plan: WorkflowPlan };

export interface ScheduledRunRef {
  runId: string;
  /** Unix seconds when it was due, and when Temporal started it. */
  scheduledAt: number;
  startedAt: number;
}

const DEFAULT_CATCHUP_SECONDS = 365 * 24 * 3600;

/** The schedule, or undefined when there is none with this id (or it is not one of ours). */
export async function describeSchedule(client: Client, id: string): Promise<ScheduleRecord | undefined> {
  return recordOf(await descriptionOf(client, id));
}

/** Every schedule of runs, newest first. */
export async function listSchedules(client: Client): Promise<ScheduleRecord[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.workflowType === RUN_WORKFLOW_TYPE) ids.push(summary.scheduleId);
  }
  // A list's summaries lack the action's memo and input: each schedule is described.
  const records = await Promise.all(ids.map((id) => describeSchedule(client, id)));
  return records.filter((record) => record !== undefined).sort((a, b) => b.created_at - a.created_at);
}

/** Creates the schedule; an invalid cron or time zone is an `InvalidRunRequestError` and creates nothing. */
export async function createSchedule(client: Client, taskQueue: string, settings: ScheduleSettings & { userId?: string }): Promise<ScheduleRecord> {
  const id = randomUUID();
  checkTimezone(settings.timezone);
  const memo: ScheduleMemo = { id, name: settings.name, cron_expr: settings.cronExpr };
  if (settings.description !== undefined) memo.description = settings.description;
  if (settings.userId !== undefined) memo.user_id = settings.userId;
  await invalidAsRequest(() =>
    client.schedule.create({
      scheduleId: id,
      spec: specOf(settings.cronExpr, settings.timezone),
      action: actionOf(taskQueue, id, settings, memo),
      policies: { overlap: settings.overlap, catchupWindow: (settings.catchupWindowSeconds ?? DEFAULT_CATCHUP_SECONDS) * 1000 },
      state: { paused: !settings.enabled },
    }),
  );
  return (await describeSchedule(client, id))!;
}

/** Changes the schedule; undefined when there is none. An invalid cron or time zone changes nothing. */
export async function updateSchedule(client: Client, taskQueue: string, id: string, change: ScheduleChange): Promise<ScheduleRecord | undefined> {
  const current = await describeSchedule(client, id);
  if (!current) return undefined;
  const timezone = change.timezone ?? current.timezone;
  checkTimezone(timezone);
  const settings: ScheduleSettings = {
    name: change.name ?? current.name,
    description: change.description ?? current.description ?? undefined,
    plan: change.plan,
    cronExpr: change.cronExpr ?? current.cron_expr ?? '',
    timezone,
    payload: change.payload ?? current.payload,
    timeoutSeconds: change.timeoutSeconds ?? current.timeout_seconds ?? undefined,
    overlap: change.overlap ?? current.overlap_policy,
    catchupWindowSeconds: change.catchupWindowSeconds ?? current.catchup_window_seconds,
    enabled: current.enabled,
  };
  const memo: ScheduleMemo = { id, name: settings.name, cron_expr: settings.cronExpr };
  if (settings.description !== undefined) memo.description = settings.description;
  if (current.user_id !== null) memo.user_id = current.user_id;
  await invalidAsRequest(() =>
    client.schedule.getHandle(id).update((previous) => ({
      ...previous,
      spec: specOf(settings.cronExpr, settings.timezone),
      action: actionOf(taskQueue, id, settings, memo),
      policies: { ...previous.policies, overlap: settings.overlap, catchupWindow: settings.catchupWindowSeconds! * 1000 },
    })),
  );
  return describeSchedule(client, id);
}

/** Enables (unpauses) or disables (pauses) the schedule; undefined when there is none. */
export async function setScheduleEnabled(client: Client, id: string, enabled: boolean): Promise<ScheduleRecord | undefined> {
  if (!(await describeSchedule(client, id))) return undefined;
  // An update rather than Temporal's pause and unpause, which leave the schedule's last update time as it was.
  await client.schedule.getHandle(id).update((previous) => ({ ...previous, state: { ...previous.state, paused: !enabled, note: enabled ? 'enabled through the API' : 'disabled through the API' } }));
  return describeSchedule(client, id);
}

/** Deletes the schedule (its runs stay); false when there is none. */
export async function deleteSchedule(client: Client, id: string): Promise<boolean> {
  if (!(await describeSchedule(client, id))) return false;
  await client.schedule.getHandle(id).delete();
  return true;
}

/**
 * Starts a run of the schedule now, whatever its overlap policy, and returns it. Temporal's trigger
 * does not say which run it started: the schedule's recent actions name it as soon as it started.
 */
export async function triggerSchedule(client: Client, id: string): Promise<ScheduledRunRef | undefined> {
  const before = await descriptionOf(client, id);
  if (!recordOf(before)) return undefined;
  const known = new Set(before!.info.recentActions.map((action) => action.action.workflow.workflowId));
  await client.schedule.getHandle(id).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  for (let attempt = 0; attempt < 50; attempt++) {
    const described = await descriptionOf(client, id);
    const started = described?.info.recentActions.find((action) => !known.has(action.action.workflow.workflowId));
    if (started) return refOf(started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Schedule ${id} was triggered, but its run did not show in the schedule's recent actions.`);
}

/**
 * The runs the schedule started, newest first: those Temporal's visibility lists by
 * `TemporalScheduledById`, with the schedule's most recent ones, which visibility may not list yet.
 */
export async function scheduledRuns(client: Client, id: string): Promise<ScheduledRunRef[] | undefined> {
  const described = await descriptionOf(client, id);
  if (!recordOf(described)) return undefined;
  const runs = new Map<string, ScheduledRunRef>();
  for (const action of described!.info.recentActions) runs.set(action.action.workflow.workflowId, refOf(action));
  for await (const execution of client.workflow.list({ query: `TemporalScheduledById = ${JSON.stringify(id)}` })) {
    if (runs.has(execution.workflowId)) continue;
    const scheduledAt = execution.searchAttributes?.TemporalScheduledStartTime?.[0];
    const startedAt = Math.floor(execution.startTime.getTime() / 1000);
    runs.set(execution.workflowId, { runId: execution.workflowId, scheduledAt: scheduledAt instanceof Date ? Math.floor(scheduledAt.getTime() / 1000) : startedAt, startedAt });
  }
  return [...runs.values()].sort((a, b) => b.startedAt - a.startedAt || b.runId.localeCompare(a.runId));
}

function refOf(action: ScheduleDescription['info']['recentActions'][number]): ScheduledRunRef {
  return { runId: action.action.workflow.workflowId, scheduledAt: Math.floor(action.scheduledAt.getTime() / 1000), startedAt: Math.floor(action.takenAt.getTime() / 1000) };
}

async function descriptionOf(client: Client, id: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(id).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

function recordOf(description: ScheduleDescription | undefined): ScheduleRecord | undefined {
  return description && scheduleRecordOf(description);
}

function specOf(cronExpr: string, timezone: string): ScheduleSpec {
  // No cron: a schedule with no times, which runs only when triggered (AgentOS's on-demand schedule).
  return cronExpr.trim() ? { cronExpressions: [cronExpr], timezone } : { timezone };
}

/** The start of a run, as start-run.ts makes it (run-execution.ts), for each time the schedule is due. */
function actionOf(taskQueue: string, id: string, settings: ScheduleSettings, memo: ScheduleMemo): ScheduleOptionsStartWorkflowAction<RunWorkflow> {
  const { payload, plan } = settings;
  // One session for all the schedule's runs unless the payload names one: its runs read as one conversation.
  const run: RunInput = { plan, input: payload.message, sessionId: payload.session_id ?? id };
  if (payload.user_id !== undefined) run.userId = payload.user_id;
  if (payload.additional_data !== undefined) run.additionalData = payload.additional_data;
  if (payload.metadata !== undefined) run.metadata = payload.metadata;
  // The run's own time limit, not Temporal's execution timeout: that one ends the execution with no
  // terminal event, its row left RUNNING until a read finds it ended outside.
  if (settings.timeoutSeconds !== undefined) run.timeout = { seconds: settings.timeoutSeconds };
  const { request_hash: _noIdempotencyKey, ...described } = runMemo(run, '');
  return {
    type: 'startWorkflow',
    workflowType: RUN_WORKFLOW_TYPE,
    // Temporal adds the time each run was due: `{id}-2026-01-01T09:00:00Z` is that run's id.
    workflowId: id,
    taskQueue,
    args: [run],
    memo: { ...described, [SCHEDULE_MEMO]: memo },
    typedSearchAttributes: initialRunAttributes(plan.id, run.sessionId, run.userId),
    staticSummary: `${plan.name}: ${described.input} (schedule ${settings.name})`,
    staticDetails: plan.description,
  };
}

function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new InvalidRunRequestError(`Invalid timezone: ${timezone}`);
  }
}

/**
 * Temporal refuses a spec it cannot read: the request's fault, said as Temporal says it. The SDK
 * turns that refusal into a TypeError ("Invalid schedule spec"); other refusals stay INVALID_ARGUMENT (code 3).
 */
async function invalidAsRequest<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof TypeError) throw new InvalidRunRequestError(`Invalid schedule: ${err.message}`);
    for (let cause: unknown = err; cause; cause = (cause as { cause?: unknown }).cause) {
      if ((cause as { code?: unknown }).code === 3) throw new InvalidRunRequestError(`Invalid schedule: ${(cause as Error).message}`);
    }
    throw err;
  }
}
