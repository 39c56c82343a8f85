/**
 * Request and response schemas of the HTTP API, in one place. The same schemas validate requests
 * (JSON, urlencoded and multipart bodies alike) and generate the OpenAPI document.
 */
import { z } from 'zod';
import { EVENT_NAMES, RUN_STATUSES } from '../contracts/events.ts';

// Ids end up in Temporal visibility queries and headers: no control characters.
const id = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const jsonObject = z.record(z.string(), z.unknown());


/** `POST /workflows/{workflow_id}/runs`: AgentOS's form fields. */
export const RunRequest = z
  .object({
    message: z.string().min(1).max(1_000_000).describe('The workflow input.'),
    stream: z.boolean().default(true).describe('Answer with an SSE stream of the run’s events.'),
    background: z.boolean().default(false).describe('With stream=false: answer 202 at once instead of waiting.'),
    session_id: id.optional(),
    user_id: id.optional(),
    additional_data: jsonObject.optional().describe('Passed to function steps as additionalData.'),
    metadata: jsonObject.optional(),
  })
  .describe('RunRequest');
export type RunRequest = z.infer<typeof RunRequest>;

/** `POST /workflows/{workflow_id}/runs/{run_id}/continue`: AgentOS's form fields. */
export const ContinueRequest = z
  .object({
    step_requirements: z
      .array(
        z
          .object({ step_id: id, confirmed: z.boolean().optional(), user_input: jsonObject.optional() })
          .loose(),
      )
      .min(1)
      .describe('Answers to the paused step: [{step_id, confirmed, user_input}]; a JSON string in forms.'),
    stream: z.boolean().default(true),
    session_id: id.optional(),
    user_id: id.optional(),
  })
  .describe('ContinueRequest');

/** `POST /workflows/{workflow_id}/runs/{run_id}/resume`. */
export const ResumeRequest = z
  .object({
    last_event_index: z.number().int().min(-1).optional().describe('Index of the last event received; events after it are sent.'),
    session_id: id.optional(),
  })
  .describe('ResumeRequest');

export const ListRunsQuery = z.object({
  workflow_id: id.optional(),
  status: z.enum(RUN_STATUSES).optional(),
  session_id: id.optional(),
  user_id: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const EventsQuery = z.object({
  after: z.coerce.number().int().min(-1).optional().describe('Send events with event_index greater than this.'),
});

// ---- responses (documentation) ---------------------------------------------------------------

export const ErrorBody = z.object({ detail: z.unknown() }).describe('Error');

export const StartedRun = z
  .object({ run_id: z.string(), session_id: z.string(), status: z.literal('PENDING') })
  .describe('StartedRun');

export const StepResult = z.object({
  step_id: z.string(),
  step_name: z.string(),
  step_type: z.string(),
  executor_type: z.string(),
  executor_name: z.string(),
  content: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
});

export const RunOutput = z
  .object({
    run_id: z.string(),
    workflow_id: z.string(),
    workflow_name: z.string(),
    session_id: z.string(),
    user_id: z.string().optional(),
    input: z.string(),
    content: z.string().optional(),
    content_type: z.string(),
    status: z.enum(RUN_STATUSES),
    step_results: z.array(StepResult),
    metrics: z.unknown().optional(),
    error: z.string().optional(),
    created_at: z.number().int(),
  })
  .describe('WorkflowRunOutput');

export const RunSummary = RunOutput.pick({
  run_id: true,
  workflow_id: true,
  workflow_name: true,
  session_id: true,
  user_id: true,
  input: true,
  status: true,
  created_at: true,
}).describe('RunSummary');

export const WorkflowSummary = z
  .object({ id: z.string(), name: z.string(), description: z.string().optional() })
  .describe('WorkflowSummary');

export const WorkflowDetail = WorkflowSummary.extend({
  steps: z.array(z.object({ name: z.string(), description: z.string().optional(), executor_type: z.string(), executor_name: z.string() })),
}).describe('WorkflowDetail');

/** Documents the fields every event has; each event adds its own (see `EventFieldsByName` in src/contracts/events.ts). */
export const RunEvent = z
  .object({
    event: z.enum(EVENT_NAMES).describe('Which event: it decides the other fields.'),
    event_index: z.number().int(),
    created_at: z.number().int(),
    run_id: z.string(),
    workflow_id: z.string(),
    workflow_name: z.string(),
    session_id: z.string(),
  })
  .loose()
  .describe('RunEvent: one SSE frame’s data; Agno’s event fields.');
