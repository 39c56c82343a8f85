/**
 * Schemas of AgentOS's /schedules routes: the same zod schemas validate requests and are named in
 * the OpenAPI document. A schedule's target is AgentOS's `endpoint`, a served workflow's runs
 * (`/workflows/{workflow_id}/runs`, POST), and its `payload` that run's form fields. Ours beside
 * AgentOS's fields: Temporal's overlap policy and catch-up window, and the next run times.
 */
import { z } from 'zod';
import type { ScheduleOverlapPolicy } from '@temporalio/client';
import { SCHEDULE_RUN_STATUSES } from '../../contracts/schedules.ts';
import { boundedJsonObject, id, int, jsonObject, queryInteger } from '../wire/common.ts';
import { PageMeta } from '../../contracts/wire-schemas/common.ts';
import { pageMeta } from '../wire/page-meta.ts';

// ---- requests ----------------------------------------------------------------------------------

const name = z
  .string()
  .max(255)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9 ._-]*$/, "must start with a letter or digit and hold only letters, digits, spaces, '.', '_', '-'");
/** The integers `min`..`max` (no leading zeros) as a pattern: 23..59 is `2[3-9]|[3-5]\d`. */
function numbersFrom(min: number, max: number): string {
  const parts: string[] = [];
  for (let n = min; n <= max; ) {
    const tens = Math.floor(n / 10);
    let lastTens = tens;
    // Whole decades at once: [3-5]\d.
    if (tens > 0 && n % 10 === 0) while ((lastTens + 1) * 10 + 9 <= max) lastTens++;
    if (tens > 0 && n % 10 === 0 && lastTens * 10 + 9 <= max) {
      parts.push(`${tens === lastTens ? tens : `[${tens}-${lastTens}]`}\\d`);
      n = (lastTens + 1) * 10;
      continue;
    }
    const last = Math.min(tens * 10 + 9, max);
    const [low, high] = [n % 10, last % 10];
    parts.push(`${tens === 0 ? '' : tens}${low === high ? low : `[${low}-${high}]`}`);
    n = last + 1;
  }
  return parts.join('|');
}

/**
 * One field of a cron as Temporal reads it: a list of `*`, `*\/step`, `n`, or `n-m` with `n <= m`
 * (Temporal refuses a range that ends before it starts), optionally `/step`.
 */
function cronField(min: number, max: number): string {
  const ranges: string[] = [];
  for (let start = min; start <= max; start++) ranges.push(`${start}-(?:${numbersFrom(start, max)})`);
  const step = `(?:${numbersFrom(1, max)})`;
  const item = `(?:\\*(?:/${step})?|(?:${ranges.join('|')})(?:/${step})?|(?:${numbersFrom(min, max)}))`;
  return `${item}(?:,${item})*`;
}

/**
 * The cron forms Temporal reads (ScheduleSpec.cronExpressions), as one pattern, so that the
 * document says exactly what is accepted: every string it allows, Temporal takes. Numbers only
 * (no month or day names).
 */
const SECOND_OR_MINUTE = cronField(0, 59);
const FIVE_FIELDS = [SECOND_OR_MINUTE, cronField(0, 23), cronField(1, 31), cronField(1, 12), cronField(0, 6)].join(' ');
const CRON_PATTERN = new RegExp(
  `^(?:|${FIVE_FIELDS}|${SECOND_OR_MINUTE} ${FIVE_FIELDS} \\*|@(?:yearly|monthly|weekly|daily|hourly)|@every [1-9]\\d{0,3}[smhd])$`,
);
const cronExpr = z
  .string()
  .max(128)
  .regex(CRON_PATTERN, 'must be a cron Temporal reads: 5 fields (minute hour day-of-month month day-of-week, numbers), or 7 (second first, then * for the year), @hourly…@yearly, @every 10m, or empty')
  .describe("Temporal's cron: 5 fields (minute hour day-of-month month day-of-week), or 7 (second first, year *); @hourly, @daily, @weekly, @monthly, @yearly; @every 10m (s, m, h, d). Empty: runs only when triggered.");
const endpoint = z
  .string()
  .max(512)
  .regex(/^\/workflows\/[^/\s]+\/runs$/, 'must be /workflows/{workflow_id}/runs: a schedule starts runs of a served workflow')
  .describe('What each run starts: /workflows/{workflow_id}/runs (AgentOS).');
// AgentOS takes the method in any case; a schedule only starts runs.
const method = z
  .string()
  .regex(/^[Pp][Oo][Ss][Tt]$/, 'must be POST: a schedule starts runs')
  .transform(() => 'POST' as const);
/** IANA time zones by their canonical names, as this Node knows them (Temporal reads them from the server's tz database). */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone')] as [string, ...string[]];
const timezone = z.enum(TIME_ZONES).describe('IANA time zone (canonical name) the cron is read in.');
const timeoutSeconds = z.number().int().min(1).max(86_400).describe('Longest each run may take: past it the run ends ERROR with its terminal event, as a run started with `timeout_seconds` does.');
// AgentOS's retry settings: accepted, not used (a failed run is retried by hand, from the step that failed).
const maxRetries = z.number().int().min(0).max(10).describe('Accepted for AgentOS clients: a failed run is retried with POST …/runs/{run_id}/retry.');
const retryDelaySeconds = z.number().int().min(1).max(3600).describe('Accepted for AgentOS clients; see max_retries.');
const overlapPolicy = z.enum(['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'] satisfies ScheduleOverlapPolicy[]).describe('Ours (Temporal’s): what a due run does while the previous one still runs. Default SKIP.');
const catchupWindowSeconds = z.number().int().min(10).max(10 * 365 * 86_400).describe('Ours (Temporal’s): how late a run missed while Temporal was down still starts. Default 1 year.');

/** The run form fields a schedule starts each run with. */
export const SchedulePayload = z.object({
  message: z.string().min(1).max(32_000).describe('The workflow input of each run.'),
  session_id: id.optional().describe('The runs’ session; default the schedule’s id (one session for all its runs).'),
  user_id: id.optional(),
  additional_data: boundedJsonObject.optional(),
  metadata: boundedJsonObject.optional(),
});

export const ScheduleCreate = z.object({
  name,
  cron_expr: cronExpr.default(''),
  endpoint,
  method: method.default('POST'),
  description: z.string().max(1024).optional(),
  payload: SchedulePayload,
  timezone: timezone.default('UTC'),
  timeout_seconds: timeoutSeconds.optional(),
  max_retries: maxRetries.optional(),
  retry_delay_seconds: retryDelaySeconds.optional(),
  overlap_policy: overlapPolicy.default('SKIP'),
  catchup_window_seconds: catchupWindowSeconds.optional(),
});
export type ScheduleCreate = z.infer<typeof ScheduleCreate>;

/** Only what it names changes; null is refused (AgentOS). */
export const ScheduleUpdate = z.object({
  name: name.optional(),
  cron_expr: cronExpr.optional(),
  endpoint: endpoint.optional(),
  method: method.optional(),
  description: z.string().max(1024).optional(),
  payload: SchedulePayload.optional(),
  timezone: timezone.optional(),
  timeout_seconds: timeoutSeconds.optional(),
  max_retries: maxRetries.optional(),
  retry_delay_seconds: retryDelaySeconds.optional(),
  overlap_policy: overlapPolicy.optional(),
  catchup_window_seconds: catchupWindowSeconds.optional(),
});
export type ScheduleUpdate = z.infer<typeof ScheduleUpdate>;

/**
 * The engine's names for the settings a create or an update body gives (AgentOS's on the wire),
 * each as the body has it: required after a create's defaults, optional in an update.
 */
export function scheduleSettingsOf<B extends ScheduleUpdate>(body: B) {
  // Indexed by B: a create's name, cron, time zone and overlap stay required.
  return {
    name: body.name as B['name'],
    description: body.description,
    cronExpr: body.cron_expr as B['cron_expr'],
    timezone: body.timezone as B['timezone'],
    timeoutSeconds: body.timeout_seconds,
    overlap: body.overlap_policy as B['overlap_policy'],
    catchupWindowSeconds: body.catchup_window_seconds,
  };
}

const page = queryInteger(1, 1_000_000).default(1);
const limit = queryInteger(1, 1000).default(100);

export const SchedulesQuery = z.object({
  enabled: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('Only enabled (true) or disabled (false) schedules.'),
  limit,
  page,
});

export const ScheduleRunsQuery = z.object({ limit, page });

// ---- responses ---------------------------------------------------------------------------------

const unixSeconds = int.min(0);

export const ScheduleResponse = z.object({
  id: z.string(),
  user_id: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  method: z.literal('POST'),
  endpoint: z.string(),
  payload: SchedulePayload,
  cron_expr: z.string().nullable().describe('null: runs only when triggered.'),
  timezone: z.string(),
  timeout_seconds: int.nullable(),
  max_retries: int,
  retry_delay_seconds: int,
  enabled: z.boolean(),
  next_run_at: unixSeconds.nullable(),
  target_type: z.literal('workflow'),
  target_id: z.string(),
  created_at: unixSeconds,
  updated_at: unixSeconds.nullable(),
  overlap_policy: overlapPolicy,
  catchup_window_seconds: int,
  next_run_times: z.array(unixSeconds).describe('Ours: the next times Temporal will start a run (while enabled).'),
});

/** What enable and disable answer (AgentOS's trimmed answer). */
export const ScheduleStateResponse = ScheduleResponse.pick({ id: true, name: true, enabled: true, next_run_at: true, updated_at: true });

export const ScheduleRunResponse = z.object({
  id: z.string().describe('The run’s id (the schedule’s id and the time it was due).'),
  schedule_id: z.string(),
  user_id: z.string().nullable(),
  attempt: int,
  triggered_at: unixSeconds.nullable(),
  completed_at: unixSeconds.nullable(),
  status: z.enum(SCHEDULE_RUN_STATUSES).describe('How the run went, in AgentOS’s words: running, then success (COMPLETED), paused (waiting for a person) or failed (ERROR or CANCELLED: error says which). The run’s own status is read through the run routes.'),
  status_code: int.nullable(),
  run_id: z.string(),
  session_id: z.string().nullable(),
  error: z.string().nullable(),
  input: jsonObject.nullable(),
  output: jsonObject.nullable(),
  requirements: z.array(jsonObject).nullable(),
  created_at: unixSeconds.nullable(),
});

export const SchedulesPage = z.object({ data: z.array(ScheduleResponse), meta: PageMeta });
export const ScheduleRunsPage = z.object({ data: z.array(ScheduleRunResponse), meta: PageMeta });

/** One page of `items` and AgentOS's pagination of it (`searchStarted`: see pageMeta). */
export function pageOf<T>(items: T[], query: { page: number; limit: number }, searchStarted: number): { data: T[]; meta: z.infer<typeof PageMeta> } {
  const start = (query.page - 1) * query.limit;
  return { data: items.slice(start, start + query.limit), meta: pageMeta(query, items.length, searchStarted) };
}
