/**
 * Schemas of AgentOS's /sessions routes, for workflow sessions: the same zod schemas validate
 * requests and are named in the OpenAPI document, and the response schemas type what views.ts
 * builds, so answer and document agree. A session's runs are the shared `WorkflowRunSchema`
 * (src/server/wire/workflow-run.ts).
 */
import { z } from 'zod';
import { boundedJsonObject, id, none, queryInteger } from '../wire/common.ts';
import { PageMeta } from '../../contracts/wire-schemas/common.ts';
import { ExecutorRunMetrics, RunMessage, TokenTotals, ToolExecution } from '../../contracts/wire-schemas/run-parts.ts';
import { RUN_STATUSES } from '../../contracts/events.ts';
import { NothingProduced, timestamp } from '../wire/workflow-run.ts';

// ---- requests ----------------------------------------------------------------------------------

/** A workflow's session, or an agent's or team's run on its own (`/agents`, `/teams`). */
export const SessionType = z.enum(['agent', 'team', 'workflow']).describe('Session type (AgentOS); default workflow.');

/** The scope AgentOS's delete routes take (they have no `type`). */
export const SessionScopeQuery = z.object({
  user_id: id.optional(),
  db_id: id.optional().describe('The Temporal namespace (the workflows’ db_id); another one is not found.'),
  table: z.string().max(256).optional().describe('Accepted for AgentOS clients; there are no tables here.'),
});

/** The scope of the routes that read or rename one session. */
export const SessionQuery = SessionScopeQuery.extend({ type: SessionType.optional() });

export const SessionsQuery = SessionQuery.extend({
  component_id: id.optional().describe('Only sessions of this workflow, agent or team (by type).'),
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

// ---- responses (AgentOS's SessionSchema, WorkflowSessionDetailSchema) ------------------------------

/** What Agno keeps in session state and metadata; nothing here. */
const empty = z.object({}).strict().describe('Always {}: no session state or metadata is kept here.');

export const SessionSummary = z.object({
  session_id: z.string(),
  session_name: z.string().describe('The name given by a rename, else the first run’s input.'),
  session_state: empty,
  created_at: timestamp.describe('The first run’s start.'),
  updated_at: timestamp.describe('The last run’s start.'),
  session_type: SessionType,
  user_id: z.string().optional(),
  workflow_id: z.string().optional(),
  agent_id: z.string().optional(),
  team_id: z.string().optional(),
  metrics: TokenTotals.describe('Tokens of every finished step of every run of the session, summed, and per model.'),
  total_tokens: z.number().int(),
  metadata: empty,
});

export const SessionsPage = z.object({
  data: z.array(SessionSummary),
  meta: PageMeta,
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

// ---- agents' and teams' sessions (AgentOS's AgentSessionDetailSchema, TeamSessionDetailSchema, RunSchema, TeamRunSchema) ----

/** The model of an agent or team as its session names it (Agno's `agent_data.model`). */
const SessionModel = z.object({ name: z.string().describe('The model’s class: OpenAIResponses, OpenAIChat.'), provider: z.literal('OpenAI'), id: z.string() });

const ownSessionParts = {
  session_id: z.string(),
  session_name: z.string().describe('The name given by a rename, else the first run’s input.'),
  user_id: z.string().optional(),
  session_state: empty,
  total_tokens: z.number().int(),
  metrics: TokenTotals.describe('Tokens of every run of the session (its members’ too), summed, and per model.'),
  chat_history: z.array(RunMessage).describe('The user’s messages and the model’s answers of every run, oldest first (their system and tool messages left out).'),
  created_at: timestamp.describe('The first run’s start.'),
  updated_at: timestamp.describe('The last run’s start.'),
};

export const AgentSessionDetail = z.object({
  ...ownSessionParts,
  agent_session_id: z.string().describe('The session’s id, as Agno names it too.'),
  agent_id: z.string(),
  agent_data: z.object({ name: z.string(), agent_id: z.string(), model: SessionModel.optional() }),
});

export const TeamSessionDetail = z.object({
  ...ownSessionParts,
  team_id: z.string(),
  team_data: z.object({ name: z.string(), team_id: z.string(), model: SessionModel.optional() }),
});

const ownRunParts = {
  run_id: z.string(),
  parent_run_id: z.string().describe('The team’s run for a member’s run; empty for the agent’s or team’s own.'),
  status: z.enum(RUN_STATUSES),
  cancellation_stage: z.string().optional(),
  run_input: z.string(),
  content: z.string(),
  run_response_format: z.literal('text'),
  metrics: z.union([ExecutorRunMetrics, z.object({}).strict()]).describe('Of the run’s own model calls; {} before it ended.'),
  messages: z.array(RunMessage).optional(),
  tools: z.array(ToolExecution).optional(),
  metadata: boundedJsonObject.optional().describe('Only when the run was given some.'),
  created_at: timestamp,
  input_media: z.object({ images: none, videos: none, audios: none, files: none }),
  ...NothingProduced,
};

export const AgentSessionRun = z.object({
  ...ownRunParts,
  agent_id: z.string(),
  user_id: z.string().describe('Empty when the run has none, as Agno’s.'),
  session_state: z.object({ current_session_id: z.string().optional(), current_run_id: z.string().optional() }),
});

export const TeamSessionRun = z.object({
  ...ownRunParts,
  team_id: z.string(),
  user_id: z.string().optional(),
});
