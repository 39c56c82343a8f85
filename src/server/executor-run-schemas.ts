/**
 * The runs of agents and teams in a run's output and events (`step_executor_runs`,
 * `member_responses`) as zod schemas, for the OpenAPI document. The types in
 * src/contracts/executor-runs.ts are the source of truth: each schema is typed by them, so the
 * type-check fails when a field is missing here. Built from the metrics and tool call schemas that the
 * events define (event-schemas.ts), which pass them in: that file uses this one, not the reverse.
 */
import { z } from 'zod';
import type { ExecutorRunMetrics, ToolExecution } from '../contracts/events.ts';
import type { ExecutorRunOutput as ExecutorRunOutputType, RunMessage as RunMessageType } from '../contracts/executor-runs.ts';

const int = z.number().int();

export function executorRunSchemas(parts: { metrics: z.ZodType<ExecutorRunMetrics>; tool: z.ZodType<ToolExecution> }) {
  const messageMetrics = z.object({
    input_tokens: int,
    output_tokens: int,
    total_tokens: int,
    reasoning_tokens: int.optional(),
    cache_read_tokens: int.optional(),
    cache_write_tokens: int.optional(),
    duration: z.number().optional().describe('Seconds.'),
    time_to_first_token: z.number().optional(),
  });
  const RunMessage: z.ZodType<RunMessageType> = z.object({
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
    metrics: messageMetrics.optional().describe('Of one model answer.'),
    tool_call_id: z.string().optional().describe('On a tool’s message: the call it answers.'),
    tool_name: z.string().optional(),
    tool_args: z.record(z.string(), z.unknown()).optional(),
    tool_call_error: z.boolean().optional(),
  });
  const ExecutorRunOutput: z.ZodType<ExecutorRunOutputType> = z.object({
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
    metrics: parts.metrics.optional(),
    events: z.array(z.never()).describe('Always empty: the events are in the workflow run’s log.'),
    messages: z.array(RunMessage),
    metadata: z.object({}).strict(),
    tools: z.array(parts.tool).optional(),
    get member_responses() {
      return z.array(ExecutorRunOutput).optional().describe('A team’s members’ runs.');
    },
    input: z.object({ input_content: z.string() }),
  });
  return { RunMessage, ExecutorRunOutput };
}
