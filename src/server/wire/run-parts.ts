/**
 * The parts of a run that its output and its events both carry, as zod schemas: token metrics,
 * step results, what a step asks people, tool calls, and the runs of agents and teams
 * (`step_executor_runs`, `member_responses`). Typed by the contract types (src/contracts/), so the
 * type-check fails when a field is missing here.
 */
import { z } from 'zod';
import type { RunMetrics as RunMetricsType, StepRequirement as StepRequirementType, StepResult as StepResultType } from '../../contracts/events.ts';
import type { ExecutorRunOutput as ExecutorRunOutputType, RunMessage as RunMessageType } from '../../contracts/executor-runs.ts';
import { int, jsonObject } from './common.ts';

export const tokens = { input_tokens: int, output_tokens: int, total_tokens: int };

/** Of one model call, when the provider tells them. */
export const tokenDetails = { reasoning_tokens: int.optional(), cache_read_tokens: int.optional(), cache_write_tokens: int.optional() };

export const TokenMetrics = z.object({ ...tokens, ...tokenDetails, duration: z.number().optional().describe('Seconds.') });

/** Tokens summed over a run's or a session's steps, and per model (Agno's session metrics). */
export const TokenTotals = z.object({ ...tokens, details: z.object({ model: z.array(z.object({ id: z.string(), provider: z.string(), ...tokens })) }).optional() });

/** Agno's metrics of a run (an agent's, a team leader's, a step's): tokens, time to first token, tokens per model. */
export const ExecutorRunMetrics = z.object({
  ...TokenMetrics.shape,
  time_to_first_token: z.number().optional().describe('Seconds from the first streamed model request to its first token.'),
  details: z.object({ model: z.array(z.object({ id: z.string(), provider: z.string(), ...tokens })) }).optional(),
});

export const StepResult: z.ZodType<StepResultType> = z
  .object({
    step_id: z.string(),
    step_name: z.string(),
    step_type: z.enum(['Step', 'Parallel', 'Condition', 'Loop', 'Router', 'Steps', 'Workflow']),
    executor_type: z.enum(['agent', 'team', 'function', 'workflow']),
    executor_name: z.string(),
    content: z.string(),
    success: z.boolean(),
    error: z.string().optional(),
    stop: z.boolean().optional(),
    step_run_id: z.string().optional().describe('The run of the step’s agent or team.'),
    is_paused: z.boolean().optional(),
    metrics: ExecutorRunMetrics.optional(),
    get steps() {
      return z.array(StepResult).optional().describe('Results of the steps inside a Parallel, Condition, Loop, Router or Steps.');
    },
  });

export const RunMetrics: z.ZodType<RunMetricsType> = z
  .object({
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
  confirmed: z.boolean().optional(),
  user_input: jsonObject.optional(),
};

/** Agno's details of a requirement, in answers only (a continue request may echo them; they are not read). */
const stepRequirementDetails = {
  step_type: z.enum(['Step', 'Parallel', 'Condition', 'Loop', 'Router', 'Steps', 'Workflow']).optional(),
  on_reject: z.enum(['skip', 'fail']).optional(),
  on_timeout: z.enum(['skip', 'fail', 'approve']).optional(),
  timeout_at: z.string().optional().describe('ISO 8601 (UTC): when the wait ends.'),
  requires_route_selection: z.boolean().optional(),
  allow_multiple_selections: z.boolean().optional(),
  requires_output_review: z.boolean().optional(),
  is_post_execution: z.boolean().optional(),
  retry_count: int.optional(),
  max_retries: int.optional(),
  step_input: z
    .object({
      input: z.string(),
      previous_step_outputs: z.record(z.string(), StepResult),
      previous_step_content: z.string().optional(),
      additional_data: jsonObject.optional(),
    })
    .optional()
    .describe('What the step was about to run with (Agno’s StepInput).'),
};

export const StepRequirement: z.ZodType<StepRequirementType> = z
  .object({ step_id: z.string(), ...stepRequirementFields, ...stepRequirementDetails });

export const ToolExecution = z
  .object({
    tool_call_id: z.string(),
    tool_name: z.string(),
    tool_args: jsonObject,
    tool_call_error: z.boolean().optional(),
    result: z.string().optional(),
    metrics: z.object({ start_time: z.number(), end_time: z.number(), duration: z.number() }).optional().describe('Unix seconds around the call, and its length.'),
    child_run_id: z.string().optional().describe('The member’s run, on a team’s delegation to one member.'),
    stop_after_tool_call: z.boolean().optional(),
    created_at: int,
  });

/** Each run of a step's agent or team (Agno's `step_executor_runs`, a team's `member_responses`). */
export const RunMessage: z.ZodType<RunMessageType> = z.object({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().optional().describe('Absent on an answer of tool calls only.'),
  from_history: z.boolean(),
  stop_after_tool_call: z.boolean(),
  created_at: int,
  tool_calls: z
    .array(z.object({ id: z.string(), call_id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  provider_data: z.object({ response_id: z.string() }).optional(),
  metrics: TokenMetrics.extend({ time_to_first_token: z.number().optional() }).optional().describe('Of one model answer.'),
  tool_call_id: z.string().optional().describe('On a tool’s message: the call it answers.'),
  tool_name: z.string().optional(),
  tool_args: z.record(z.string(), z.unknown()).optional(),
  tool_call_error: z.boolean().optional(),
});
export const ExecutorRunOutput: z.ZodType<ExecutorRunOutputType> = z.object({
  run_id: z.string(),
  agent_id: z.string().optional(),
  agent_name: z.string().optional(),
  team_id: z.string().optional(),
  team_name: z.string().optional(),
  session_id: z.string(),
  parent_run_id: z.string().describe('The team’s run for a member, the workflow run for a step’s own agent or team.'),
  workflow_step_id: z.string().optional(),
  content: z.string().optional(),
  content_type: z.string(),
  model: z.string(),
  model_provider: z.string(),
  model_provider_data: z.object({ response_id: z.string() }).optional(),
  session_state: z.object({ current_session_id: z.string().optional(), current_run_id: z.string().optional() }),
  created_at: int,
  status: z.enum(['RUNNING', 'COMPLETED', 'ERROR', 'CANCELLED']),
  cancellation_stage: z.string().optional(),
  metrics: ExecutorRunMetrics.optional(),
  events: z.array(z.never()).describe('Always empty: the events are in the workflow run’s log.'),
  messages: z.array(RunMessage),
  metadata: z.object({}).strict(),
  tools: z.array(ToolExecution).optional(),
  get member_responses() {
    return z.array(ExecutorRunOutput).optional().describe('A team’s members’ runs.');
  },
  input: z.object({ input_content: z.string() }),
});
