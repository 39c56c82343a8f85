/**
 * Request and response schemas of the HTTP API, in one place. The same schemas validate requests
 * (JSON, urlencoded and multipart bodies alike) and generate the OpenAPI document; response
 * schemas are checked against the contract types below, so the document cannot drift from them.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../contracts/events.ts';
import type { RunOutputDict, RunSummary as RunSummaryType } from '../contracts/events.ts';
import { ExecutorRunOutput, RunEvent, RunMetrics, StepRequirement, StepResult, stepRequirementFields, TokenTotals } from './event-schemas.ts';

// Ids end up in Temporal visibility queries and headers: no control characters.
export const id = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/**
 * How deep JSON objects in requests may nest. Far beyond any real use, and it keeps every
 * recursive walk of them (hashing for Idempotency-Key, payload conversion) well inside the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a JSON value (a scalar is 0), walked without recursion; stops past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

const jsonObject = z
  .record(z.string(), z.unknown())
  .refine((value) => depthOf(value, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, `must not nest deeper than ${MAX_JSON_DEPTH} levels`)
  .describe(`A JSON object, nested at most ${MAX_JSON_DEPTH} levels deep.`);

/**
 * An integer in a query string: only its plain decimal spelling is read as a number, so `1e3`,
 * ` 5`, `0x10` or an empty value are refused rather than coerced.
 */
export const queryInteger = (min: number, max: number) =>
  z.preprocess((value) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value), z.number().int().min(min).max(max));

/** `event_index` of the last event a client has; -1 for none. */
const eventIndex = queryInteger(-1, Number.MAX_SAFE_INTEGER);

/** `POST /workflows/{workflow_id}/runs`: AgentOS's form fields. */
export const RunRequest = z.object({
  message: z.string().min(1).max(1_000_000).describe('The workflow input.'),
  stream: z.boolean().default(true).describe('Answer with an SSE stream of the run’s events.'),
  background: z.boolean().default(false).describe('With stream=false: answer 202 at once instead of waiting.'),
  session_id: id.optional(),
  user_id: id.optional(),
  additional_data: jsonObject.optional().describe('Passed to function steps as additionalData.'),
  metadata: jsonObject.optional(),
});
export type RunRequest = z.infer<typeof RunRequest>;

/** `POST /workflows/{workflow_id}/runs/{run_id}/continue`: AgentOS's form fields. */
export const ContinueRequest = z.object({
  step_requirements: z
    .array(z.object({ step_id: id, ...stepRequirementFields }))
    .min(1)
    .describe('Answers to the paused step: [{step_id, confirmed, user_input}]; a JSON string in forms.'),
  stream: z.boolean().default(true),
  session_id: id.optional(),
  user_id: id.optional(),
});

/** `POST /workflows/{workflow_id}/runs/{run_id}/resume`. */
export const ResumeRequest = z.object({
  last_event_index: z
    .union([
      z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
      // Ours: the SSE id of the last frame received, which also says what live text the client has.
      z.string().regex(/^(-1|\d{1,15})(~[^~.\s]{1,200}\.\d{1,9}\.\d{1,15}){0,64}$/, 'must be an event index or an SSE id of this stream'),
    ])
    .optional()
    .describe('Index of the last event received (or the SSE id of the last frame, to resume live text exactly); what follows is sent.'),
  session_id: id.optional(),
});

export const ListRunsQuery = z.object({
  workflow_id: id.optional(),
  status: z.enum(RUN_STATUSES).optional(),
  session_id: id.optional(),
  user_id: id.optional(),
  limit: queryInteger(1, 1000).default(100),
});

/** `POST …/cancel`: `strict=true` (ours) answers 404/409 where AgentOS answers 200 (unknown or ended run). */
export const CancelQuery = z.object({
  strict: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Answer 404 for an unknown run and 409 for a run that has already ended, instead of 200 {}.'),
  session_id: id.optional().describe('The run’s session (AgentOS): another session’s run is not found.'),
});

/** Run routes (AgentOS): a `session_id` other than the run's answers as if the run did not exist. */
export const RunQuery = z.object({
  session_id: id.optional().describe('The run’s session (AgentOS): another session’s run is not found.'),
});

// The /sessions routes' schemas are in session-schemas.ts.

export const EventsQuery = z.object({
  after: eventIndex.optional().describe('Send events with event_index greater than this.'),
});

/** `Last-Event-ID` (EventSource's reconnect header): the SSE `id` of the last event received. */
export const LastEventId = z
  .string()
  .regex(/^(-1|\d{1,15})$/, 'must be an event index: -1 or more')
  .transform(Number);

/** Printable ASCII without spaces: it is hashed into a workflow id and echoed in logs. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters');

// ---- responses ---------------------------------------------------------------------------------

const validationIssue = z.object({ loc: z.array(z.string()), msg: z.string(), type: z.string() });
export const ErrorBody = z.object({
  detail: z.union([z.string(), z.array(validationIssue)]).describe('What went wrong; for invalid input, FastAPI-style issues.'),
});

export const StartedRun = z.object({ run_id: z.string(), session_id: z.string(), status: z.literal('PENDING') });

/** A retry accepted: a failed run starts again (PENDING), a held one carries on. */
export const RetriedRun = z.object({ run_id: z.string(), session_id: z.string(), status: z.enum(RUN_STATUSES) });

export const RunOutput = z.object({
  run_id: z.string(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  session_id: z.string(),
  user_id: z.string().optional(),
  input: z.string(),
  content: z.string().optional(),
  content_type: z.string(),
  images: z.array(z.unknown()).describe('Agno’s media lists of a run: always empty, as steps here produce text.'),
  videos: z.array(z.unknown()),
  audio: z.array(z.unknown()),
  files: z.array(z.unknown()),
  status: z.enum(RUN_STATUSES),
  step_results: z.array(StepResult),
  step_executor_runs: z
    .array(ExecutorRunOutput)
    .optional()
    .describe('Each run of a step’s agent or team: its messages, tool calls, metrics and (a team’s) members’ runs; the latest 100.'),
  metrics: RunMetrics.optional(),
  error: z.string().optional(),
  created_at: z.number().int(),
  metadata: jsonObject.describe('The run’s metadata as given on start; {} when none was.'),
  events: z
    .array(RunEvent)
    .optional()
    .describe('The run’s events from its start, on reads and lists, up to a byte budget (about 1 MB per run read; in a list, 4 MB shared by its runs, at most 256 KB each).'),
  events_truncated: z.literal(true).optional().describe('The log goes on after `events`: read the rest from …/events?after=<the last one’s event_index>.'),
  events_truncated_reason: z.string().optional().describe('Why `events` stops short: the answer’s byte budget for events, or what kept the log from being read (such as an archived segment missing from the blob store).'),
  step_requirements: z
    .array(StepRequirement)
    .optional()
    .describe('What the run asked people, with their answers; while it waits for a person, the newest is what its paused step needs.'),
  pause_kind: z.literal('step').optional().describe('While the run waits for a person.'),
  paused_step_name: z.string().optional().describe('While the run is paused: the step it waits at.'),
  paused_step_index: z.number().int().optional(),
  cancellation_stage: z.enum(['PENDING', 'EXECUTING', 'PAUSED']).optional().describe('For a cancelled run: whether it had not begun, was running, or waited for a person.'),
});

export const RunSummary = RunOutput.pick({ run_id: true, workflow_id: true, workflow_name: true, session_id: true, user_id: true, input: true, status: true, created_at: true }).extend({
  tokens: TokenTotals.optional().describe('Tokens of the run’s finished steps, and per model (absent for runs recorded before they were kept).'),
});

/** AgentOS's flags; none of our workflows, agents or teams is a factory, a UI-built component or sandboxed. */
const componentFlags = { is_factory: z.literal(false), is_component: z.literal(false), sandboxed: z.literal(false) };

/** A workflow in lists (AgentOS's WorkflowSummaryResponse): `db_id` is the Temporal namespace runs are kept in. */
export const WorkflowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  db_id: z.string(),
  is_factory: z.boolean(),
  is_component: z.boolean(),
  sandboxed: z.boolean(),
});

/**
 * A step of a workflow as `GET /workflows/{id}` shows it, with the agent or team it runs as
 * AgentOS's AgentResponse / TeamResponse describe them (open: those grow with Agno); groups
 * (Parallel, Loop, ...) list their steps.
 */
export const WorkflowStep: z.ZodType<unknown> = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    type: z.string().optional(),
    step_type: z.string().optional(),
    executor_type: z.string().optional(),
    executor_name: z.string().optional(),
    agent: z.record(z.string(), z.unknown()).optional(),
    team: z.record(z.string(), z.unknown()).optional(),
    get steps() {
      return z.array(WorkflowStep).optional();
    },
  })
  .loose();

export const WorkflowDetail = WorkflowSummary.extend({ steps: z.array(WorkflowStep), workflow_agent: z.boolean() });

const LiveLaneHealth = z.object({
  kind: z.enum(['memory', 'redis', 'off']),
  connected: z.boolean(),
  published: z.number().int(),
  dropped: z.number().int(),
  failed: z.number().int(),
  received: z.number().int(),
});
export const Health = z.object({
  status: z.literal('ok'),
  instantiated_at: z.iso.datetime(),
  live_lane: LiveLaneHealth.describe('Whether token deltas arrive live, and what the lane dropped or failed to carry.'),
});

const none = z.array(z.unknown()).max(0);
export const OsConfig = z.object({
  os_id: z.string(),
  name: z.string(),
  description: z.string(),
  agents: none,
  teams: none,
  workflows: z.array(WorkflowSummary),
  interfaces: none,
  databases: z.array(z.string()).describe('The Temporal namespace runs are kept in.'),
});

// The response schemas describe exactly what the engine returns.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const runOutputMatches: SameShape<z.output<typeof RunOutput>, RunOutputDict> = true;
const runSummaryMatches: SameShape<z.output<typeof RunSummary>, RunSummaryType> = true;
void runOutputMatches;
void runSummaryMatches;
