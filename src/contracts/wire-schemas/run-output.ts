/**
 * A run as the API returns it (Agno's `WorkflowRunOutput.to_dict()` keys), and as lists show it:
 * declared once here; `RunOutputDict` and `RunSummary` (src/contracts/events.ts) are their outputs.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../event-names.ts';
import { boundedJsonObject } from './common.ts';
import { RunEvent } from './events.ts';
import { ExecutorRunOutput, RunMetrics, RunRequirement, StepRequirement, StepResult, TokenTotals } from './run-parts.ts';

/** A run as the API returns it: Agno's `WorkflowRunOutput.to_dict()` keys. */
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
  metadata: boundedJsonObject.describe('The run’s metadata as given on start; {} when none was.'),
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

/** A member's run inside an agent's or team's own run: metadata only when it has some, as Agno's. */
export const OwnMemberRunOutput = ExecutorRunOutput.extend({ metadata: ExecutorRunOutput.shape.metadata.optional() });

/** An agent's or team's own run: its executor run as Agno's `RunOutput.to_dict()` / `TeamRunOutput.to_dict()`, with the run's status. */
export const RunnableRunOutput = ExecutorRunOutput.omit({ parent_run_id: true, workflow_step_id: true, status: true, metadata: true }).extend({
  status: z.enum(RUN_STATUSES),
  user_id: z.string().optional(),
  /** As Agno's: only when the run was given some. */
  metadata: boundedJsonObject.optional(),
  /** Absent on a team's, as Agno's. */
  session_state: ExecutorRunOutput.shape.session_state.optional(),
  content: z.string().optional(),
  model: z.string().optional(),
  model_provider: z.string().optional(),
  messages: ExecutorRunOutput.shape.messages.optional(),
  events: ExecutorRunOutput.shape.events.optional(),
  member_responses: z.array(OwnMemberRunOutput).optional().describe('A team’s members’ runs.'),
  /** While the run waits for a person at its tools: the calls it waits on (Agno's `requirements`). */
  requirements: z.array(RunRequirement).optional().describe('While the run waits for a person at its tools: the calls it waits on.'),
});
