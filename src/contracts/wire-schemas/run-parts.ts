/**
 * The parts of a run that its output and its events both carry, declared once as zod schemas:
 * token metrics, step results, what a step asks people, tool calls, and the runs of agents and
 * teams (`step_executor_runs`, `member_responses`). The contract types (src/contracts/) are their
 * outputs, imported as types only: workflow code never loads zod.
 */
import { z } from 'zod';
import { int, jsonObject } from './common.ts';

export const tokens = { input_tokens: int, output_tokens: int, total_tokens: int };

/** Of one model call, when the provider tells them (part of the tokens above, not summed on). */
export const tokenDetails = { reasoning_tokens: int.optional(), cache_read_tokens: int.optional(), cache_write_tokens: int.optional() };

export const TokenMetrics = z.object({ ...tokens, ...tokenDetails, duration: z.number().optional().describe('Seconds.') });

/** Tokens summed over a run's or a session's steps, and per model (Agno's session metrics, `details.model`). */
export const TokenTotals = z.object({
  ...tokens,
  // One model's share of the tokens: an entry of Agno's `details.model[]`.
  details: z.object({ model: z.array(z.object({ id: z.string(), provider: z.string(), ...tokens })) }).optional(),
});

/**
 * Agno's `RunMetrics` of an agent's or a team leader's run: the tokens of its own model calls
 * (a team's members report theirs in their own runs), the first call's time to first token, and
 * the tokens per model.
 */
export const ExecutorRunMetrics = z.object({
  ...TokenMetrics.shape,
  time_to_first_token: z.number().optional().describe('Seconds from the first streamed model request to its first token.'),
  details: z.object({ model: z.array(z.object({ id: z.string(), provider: z.string(), ...tokens })) }).optional(),
});

/** The result of one step, as Agno's `StepOutput.to_dict()` names it. */
export const StepResult = z.object({
  step_id: z.string(),
  step_name: z.string(),
  step_type: z.enum(['Step', 'Parallel', 'Condition', 'Loop', 'Router', 'Steps', 'Workflow']),
  executor_type: z.enum(['agent', 'team', 'function', 'workflow']),
  executor_name: z.string(),
  content: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
  stop: z.boolean().optional(),
  /** The run of the step's agent or team (its events' `run_id`). */
  step_run_id: z.string().optional().describe('The run of the step’s agent or team.'),
  is_paused: z.boolean().optional(),
  metrics: ExecutorRunMetrics.optional(),
  /** Results of the steps inside a Parallel, Condition, Loop, Router or Steps. */
  get steps(): z.ZodOptional<z.ZodArray<typeof StepResult>> {
    return z.array(StepResult).optional().describe('Results of the steps inside a Parallel, Condition, Loop, Router or Steps.');
  },
});

/** Agno's workflow metrics shape: per step, plus the run's duration in seconds. */
export const RunMetrics = z.object({
  steps: z.record(z.string(), z.object({ step_name: z.string(), executor_type: z.string(), executor_name: z.string(), metrics: ExecutorRunMetrics })),
  duration: z.number().optional().describe('Seconds.'),
});

/** The fields of a step waiting for a person; in a continue request, the answer (`confirmed`, `user_input`). */
export const stepRequirementFields = {
  step_name: z.string().optional(),
  step_index: int.optional(),
  requires_confirmation: z.boolean().optional(),
  confirmation_message: z.string().optional(),
  requires_user_input: z.boolean().optional(),
  user_input_message: z.string().optional(),
  user_input_schema: jsonObject.optional(),
  /** The answer: confirmed or rejected. */
  confirmed: z.boolean().optional(),
  /** The answer: the input asked for. */
  user_input: jsonObject.optional(),
};

/** Agno's details of a requirement, in answers only (a continue request may echo them; they are not read); absent on requirements recorded before they were sent. */
const stepRequirementDetails = {
  step_type: z.enum(['Step', 'Parallel', 'Condition', 'Loop', 'Router', 'Steps', 'Workflow']).optional(),
  /** What a rejection does: skip the step or fail the run. */
  on_reject: z.enum(['skip', 'fail']).optional(),
  /** What happens when nobody answers in time: skip the step, fail the run, or run it as if confirmed. */
  on_timeout: z.enum(['skip', 'fail', 'approve']).optional(),
  /** ISO 8601 (UTC): when the wait ends, for a step that waits a limited time. */
  timeout_at: z.string().optional().describe('ISO 8601 (UTC): when the wait ends.'),
  /** Agno's kinds of question a step may ask; here only confirmation and input. */
  requires_route_selection: z.boolean().optional(),
  allow_multiple_selections: z.boolean().optional(),
  requires_output_review: z.boolean().optional(),
  is_post_execution: z.boolean().optional(),
  /** Agno's reviews of a step's output that a rejection sends back: none here (0 of 0). */
  retry_count: int.optional(),
  max_retries: int.optional(),
  /** What the step was about to run with: a paused step's input as Agno's `StepInput.to_dict()` shows it. */
  step_input: z
    .object({
      /** The run's input. */
      input: z.string(),
      /** The results of the top-level steps before it, by step name. */
      previous_step_outputs: z.record(z.string(), StepResult),
      previous_step_content: z.string().optional(),
      additional_data: jsonObject.optional(),
    })
    .optional()
    .describe('What the step was about to run with (Agno’s StepInput).'),
};

/** What a step waiting for a person needs, and (in a continue request) the answer. */
export const StepRequirement = z.object({ step_id: z.string(), ...stepRequirementFields, ...stepRequirementDetails });

/** One argument of a tool a person fills in: Agno's `UserInputField.to_dict()` (`field_type` a Python type's name: str, int, float, bool, list, dict). */
export const UserInputField = z.object({
  name: z.string(),
  field_type: z.string(),
  description: z.string().nullable().optional(),
  value: z.unknown().optional(),
});

/** A tool call as Agno's `ToolExecution.to_dict()` shows it (Agno's null fields are left out). */
export const ToolExecution = z.object({
  tool_call_id: z.string(),
  tool_name: z.string(),
  tool_args: jsonObject,
  tool_call_error: z.boolean().optional(),
  result: z.string().optional(),
  /** Unix seconds (with fractions) around the call, as the workflow saw them; set once it ended. */
  metrics: z.object({ start_time: z.number(), end_time: z.number(), duration: z.number() }).optional().describe('Unix seconds around the call, and its length.'),
  /** The member's run, on a team's delegation to one member. */
  child_run_id: z.string().optional().describe('The member’s run, on a team’s delegation to one member.'),
  /** Absent on events recorded before it was sent. */
  stop_after_tool_call: z.boolean().optional(),
  created_at: int,
  /** Agno's human-in-the-loop fields: set on a call that waits (or waited) for a person. */
  requires_confirmation: z.boolean().optional(),
  /** The person's answer to a confirmation: run the tool, or tell the model it was rejected. */
  confirmed: z.boolean().optional(),
  confirmation_note: z.string().optional(),
  requires_user_input: z.boolean().optional(),
  /** The tool's arguments a person fills in (`value`), with those the model gave already filled. */
  user_input_schema: z.array(UserInputField).optional(),
  answered: z.boolean().optional(),
  /** The tool runs elsewhere: the person sends its `result`. */
  external_execution_required: z.boolean().optional(),
});

/**
 * Agno's `RunRequirement.to_dict()`: one tool call a paused run waits on, with the person's
 * answer once given (`confirmation`, `external_execution_result`).
 */
export const RunRequirement = z.object({
  id: z.string(),
  /** ISO 8601, as Agno writes it. */
  created_at: z.string(),
  confirmation: z.boolean().optional(),
  confirmation_note: z.string().optional(),
  external_execution_result: z.string().optional(),
  tool_execution: ToolExecution,
  user_input_schema: z.array(UserInputField).optional(),
  /** On a team's run: the member whose tool call waits (the deepest one, in a team of teams). */
  member_agent_id: z.string().optional(),
  member_agent_name: z.string().optional(),
  member_run_id: z.string().optional(),
});

/** A message of the conversation, as Agno's `Message.to_dict()` shows it. */
export const RunMessage = z.object({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().optional().describe('Absent on an answer of tool calls only.'),
  from_history: z.boolean(),
  stop_after_tool_call: z.boolean(),
  created_at: int,
  /** On an assistant message that calls tools. */
  tool_calls: z
    .array(z.object({ id: z.string(), call_id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  provider_data: z.object({ response_id: z.string() }).optional(),
  metrics: TokenMetrics.extend({ time_to_first_token: z.number().optional() }).optional().describe('Of one model answer.'),
  /** On a tool's message: the call it answers. */
  tool_call_id: z.string().optional().describe('On a tool’s message: the call it answers.'),
  tool_name: z.string().optional(),
  tool_args: z.record(z.string(), z.unknown()).optional(),
  tool_call_error: z.boolean().optional(),
});

/** An agent's or team's run as Agno's `RunOutput.to_dict()` / `TeamRunOutput.to_dict()` show it (`step_executor_runs`, a team's `member_responses`). */
export const ExecutorRunOutput = z.object({
  run_id: z.string(),
  agent_id: z.string().optional(),
  agent_name: z.string().optional(),
  team_id: z.string().optional(),
  team_name: z.string().optional(),
  session_id: z.string(),
  /** The team's run for a member, the workflow run for a step's own agent or team. */
  parent_run_id: z.string().describe('The team’s run for a member, the workflow run for a step’s own agent or team.'),
  workflow_step_id: z.string().optional(),
  content: z.string().optional(),
  content_type: z.string(),
  reasoning_content: z.string().optional().describe('What the model showed of its reasoning, its answers’ run together; absent when it showed none.'),
  model: z.string(),
  model_provider: z.string(),
  model_provider_data: z.object({ response_id: z.string() }).optional(),
  /**
   * A member's run names its session and itself; a step's own run has it empty, as Agno stores
   * it (the workflow's session keeps the state).
   */
  session_state: z.object({ current_session_id: z.string().optional(), current_run_id: z.string().optional() }),
  created_at: int,
  /** RUNNING only while the run is under way (an agent carried into the next execution of its workflow run); PAUSED while it waits for a person at its tools. */
  status: z.enum(['RUNNING', 'COMPLETED', 'ERROR', 'CANCELLED', 'PAUSED']),
  /** Where a cancelled run was when it stopped. */
  cancellation_stage: z.string().optional(),
  metrics: ExecutorRunMetrics.optional(),
  /** Agno's stored run keeps no events of a step's executor. */
  events: z.array(z.never()).describe('Always empty: the events are in the workflow run’s log.'),
  messages: z.array(RunMessage),
  metadata: z.object({}).strict(),
  /** Absent when the run called no tool. */
  tools: z.array(ToolExecution).optional(),
  /** The tool calls the run waited (or waits) on for a person, with the answers: Agno's `requirements`. */
  requirements: z.array(RunRequirement).optional(),
  /** A team's members' runs. */
  get member_responses(): z.ZodOptional<z.ZodArray<typeof ExecutorRunOutput>> {
    return z.array(ExecutorRunOutput).optional().describe('A team’s members’ runs.');
  },
  input: z.object({ input_content: z.string() }),
});
