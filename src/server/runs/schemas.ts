/**
 * What the run routes read and answer: AgentOS's form fields for start, continue and resume, the
 * filters of run lists, and the answers of a start or a retry. The same schemas validate requests
 * (JSON, urlencoded and multipart bodies alike) and are named in the OpenAPI document.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../../contracts/events.ts';
import { MULTITASK_STRATEGIES } from '../../contracts/multitask-strategies.ts';
import { boundedJsonObject, id, queryInteger } from '../wire/common.ts';
import { stepRequirementFields } from '../../contracts/wire-schemas/run-parts.ts';

/** `event_index` of the last event a client has; -1 for none. */
const eventIndex = queryInteger(-1, Number.MAX_SAFE_INTEGER);

/** `POST /workflows/{workflow_id}/runs`: AgentOS's form fields. */
export const RunRequest = z.object({
  message: z.string().min(1).max(1_000_000).describe('The workflow input.'),
  stream: z.boolean().default(true).describe('Answer with an SSE stream of the run’s events.'),
  background: z.boolean().default(false).describe('With stream=false: answer 202 at once instead of waiting.'),
  session_id: id.optional(),
  user_id: id.optional(),
  additional_data: boundedJsonObject.optional().describe('Passed to function steps as additionalData.'),
  metadata: boundedJsonObject.optional(),
  timeout_seconds: z
    .number()
    .int()
    .min(1)
    .max(365 * 24 * 3600)
    .optional()
    .describe('Longest the run may take (s): past it, it ends ERROR. Default the deployment’s (RUN_TIMEOUT_SECONDS, 3600).'),
  priority: z
    .number()
    .int()
    .min(1)
    .max(5)
    .optional()
    .describe('Temporal priority key of the run and its activities: 1 first, 5 last; default Temporal’s (3).'),
  multitask_strategy: z
    .enum(MULTITASK_STRATEGIES)
    .optional()
    .describe(
      'When the session has a live run: enqueue (start after it), reject (409), interrupt (cancel it and the queued runs, then start), ' +
        'rollback (as interrupt, and delete them) or concurrent (start at once). Default: the deployment’s (MULTITASK_STRATEGY, else enqueue).',
    ),
});
export type RunRequest = z.infer<typeof RunRequest>;

/** `POST /workflows/{workflow_id}/runs/{run_id}/fork`, ours: where to fork an ended run (a step by name or index), and the fork's own fields. */
export const ForkRequest = z.object({
  step_name: id.optional().describe('The top-level step to fork at: it and every step after it run again.'),
  step_index: z.number().int().min(0).max(100_000).optional().describe('The same step by its position (from 0); with step_name, both must name it.'),
  iteration: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('At a Loop: the iteration to fork at (default 1); the iterations before it are reused.'),
  message: z.string().min(1).max(1_000_000).optional().describe('The fork’s input; default the source run’s.'),
  session_id: id.optional().describe('The fork’s session; default the source run’s.'),
})
  // Either names the step: the document says one is required.
  .meta({ anyOf: [{ required: ['step_name'] }, { required: ['step_index'] }] });
export type ForkRequest = z.infer<typeof ForkRequest>;

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

export const StartedRun = z.object({ run_id: z.string(), session_id: z.string(), status: z.literal('PENDING') });

/** A retry accepted: a failed run starts again (PENDING), a held one carries on. */
export const RetriedRun = z.object({ run_id: z.string(), session_id: z.string(), status: z.enum(RUN_STATUSES) });
