/**
 * Schemas of AgentOS's /sessions routes (src/server/api/sessions.ts), for workflow sessions: the
 * same zod schemas validate requests and generate the OpenAPI document (openapi-sessions.ts), and
 * the response schemas type what workflow-sessions.ts builds, so answer and document agree.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../contracts/events.ts';
import { ExecutorRunOutput, RunEvent, RunMetrics, StepRequirement, StepResult, TokenTotals } from './event-schemas.ts';
import { id, queryInteger } from './schemas.ts';

// ---- requests ----------------------------------------------------------------------------------

/** Every session here is a workflow session; `agent` and `team` find none. */
export const SessionType = z.enum(['agent', 'team', 'workflow']).describe('Session type (AgentOS); only workflow sessions exist here.');

/** The scope AgentOS's delete routes take (they have no `type`). */
export const SessionScopeQuery = z.object({
  user_id: id.optional(),
  db_id: id.optional().describe('The Temporal namespace (the workflows’ db_id); another one is not found.'),
  table: z.string().max(256).optional().describe('Accepted for AgentOS clients; there are no tables here.'),
});

/** The scope of the routes that read or rename one session. */
export const SessionQuery = SessionScopeQuery.extend({ type: SessionType.optional() });

export const SessionsQuery = SessionQuery.extend({
  component_id: id.optional().describe('Only sessions of this workflow.'),
  session_name: z.string().max(1000).optional().describe('Only sessions whose name contains this (any case).'),
  limit: queryInteger(1, 1000).default(20),
  page: queryInteger(0, 1_000_000).default(1).describe('1 for the first page (0 reads as 1).'),
  sort_by: z.enum(['created_at', 'updated_at']).default('created_at'),
  sort_order: z.enum(['asc', 'desc']).default('desc'),
});

/**
 * A session id in a path. Any text is looked for, but one outside these rules names no session
 * (runs are started with `id`s): it is not found without asking Temporal, whose visibility
 * queries cannot carry a NUL.
 */
export const SessionId = id;

export const RenameSessionRequest = z.object({ session_name: z.string().min(1).max(1000).describe('The new name.') });

/** Sessions one `DELETE /sessions` deletes at most. */
export const MAX_SESSIONS_PER_DELETE = 100;

/**
 * `session_types[i]` is the type of `session_ids[i]`: both lists have the same length, which the
 * route checks (AgentOS answers 400 otherwise). JSON Schema cannot compare two lengths, so the
 * document states the rule as one branch per allowed length.
 */
export const DeleteSessionsRequest = z
  .object({
    session_ids: z.array(id).min(1).max(MAX_SESSIONS_PER_DELETE),
    session_types: z.array(SessionType).min(1).max(MAX_SESSIONS_PER_DELETE).describe('The type of each session, in the order of session_ids.'),
  })
  .meta({
    description: 'session_ids and session_types have the same length.',
    anyOf: Array.from({ length: MAX_SESSIONS_PER_DELETE }, (_, i) => {
      const length = { minItems: i + 1, maxItems: i + 1 };
      return { properties: { session_ids: length, session_types: length } };
    }),
  });

// ---- responses (AgentOS's SessionSchema, WorkflowSessionDetailSchema, WorkflowRunSchema) --------

/** ISO 8601 in UTC, whole seconds, as AgentOS's datetimes read. */
const timestamp = z.iso.datetime();
/** What Agno keeps in session state and metadata; nothing here. */
const empty = z.object({}).strict().describe('Always {}: no session state or metadata is kept here.');
const none = z.array(z.unknown()).max(0);

export const SessionSummary = z.object({
  session_id: z.string(),
  session_name: z.string().describe('The name given by a rename, else the first run’s input.'),
  session_state: empty,
  created_at: timestamp.describe('The first run’s start.'),
  updated_at: timestamp.describe('The last run’s start.'),
  session_type: z.literal('workflow'),
  user_id: z.string().optional(),
  workflow_id: z.string(),
  metrics: TokenTotals.describe('Tokens of every finished step of every run of the session, summed, and per model.'),
  total_tokens: z.number().int(),
  metadata: empty,
});

export const SessionsPage = z.object({
  data: z.array(SessionSummary),
  meta: z.object({
    page: z.number().int().min(0),
    limit: z.number().int().min(1).max(1000),
    total_pages: z.number().int().min(0),
    total_count: z.number().int().min(0),
    search_time_ms: z.number().min(0),
  }),
});

export const WorkflowSessionDetail = z.object({
  user_id: z.string().optional(),
  workflow_id: z.string(),
  workflow_name: z.string(),
  session_id: z.string(),
  session_name: z.string(),
  session_data: z.object({
    session_state: empty,
    session_metrics: TokenTotals.describe('Tokens of every step of every run, summed, and per model.'),
    session_name: z.string().optional().describe('The name given by a rename.'),
  }),
  session_state: empty,
  workflow_data: z
    .object({
      workflow_id: z.string(),
      name: z.string(),
      steps: z.array(z.object({ name: z.string(), description: z.string().nullable(), type: z.literal('Step') })).optional(),
    })
    .describe('The workflow, with its top-level steps while it is served.'),
  metadata: empty,
  created_at: timestamp,
  updated_at: timestamp,
});

export const WorkflowSessionRun = z.object({
  run_id: z.string(),
  run_input: z.string(),
  events: z.array(RunEvent).optional().describe('The run’s events from its start, within a budget per list (see RunOutput.events).'),
  events_truncated: z.literal(true).optional().describe('The log goes on after `events`: read the rest from the run’s event stream.'),
  events_truncated_reason: z.string().optional().describe('Why `events` stops short (see RunOutput.events_truncated_reason).'),
  workflow_id: z.string(),
  user_id: z.string().optional(),
  content: z.string().optional(),
  content_type: z.string(),
  status: z.enum(RUN_STATUSES),
  step_results: z.array(StepResult),
  step_executor_runs: z.array(ExecutorRunOutput).optional().describe('Each run of a step’s agent or team.'),
  step_requirements: z.array(StepRequirement).optional(),
  pause_kind: z.literal('step').optional().describe('While the run waits for a person.'),
  paused_step_name: z.string().optional(),
  paused_step_index: z.number().int().optional(),
  cancellation_stage: z.enum(['PENDING', 'EXECUTING', 'PAUSED']).optional(),
  metrics: RunMetrics.optional(),
  created_at: timestamp,
  // No model here reasons visibly, cites or produces media: AgentOS's empty values.
  reasoning_content: z.literal(''),
  reasoning_steps: none,
  reasoning_messages: none,
  references: none,
  images: none,
  videos: none,
  audio: none,
  files: none,
});
