/**
 * The runs of agents and teams inside a workflow run, as Agno shows them: `step_executor_runs` of
 * a run's output and of WorkflowCompleted, `member_responses` of a team's run (Agno's
 * `RunOutput.to_dict()` and `TeamRunOutput.to_dict()`).
 *
 * The workflow keeps each run small (`ExecutorRunRecord`): what each model call answered and cost,
 * each tool call, how the run ended. The conversation's messages are derived from it when the run
 * is shown (`executorRunOutput`), so no text is kept twice, and a big text stays the reference a
 * model or tool call made of it (text-refs.ts), which readers expand. Pure functions only: the
 * workflow and the engine both build outputs with them.
 */
import type { z } from 'zod';
import type { ModelToolCall } from './conversation.ts';
import type { RunRequirement, ToolExecution } from './tool-execution.ts';
import type { ExecutorRunMetrics, TokenMetrics } from './metrics.ts';
import type * as wire from './wire-schemas/run-parts.ts';

/** RUNNING only while the run is under way (an agent carried into the next execution of its workflow run). */
export type ExecutorRunStatus = ExecutorRunOutput['status'];

/** One answer of the model: its text (or reference), the tools it called, what it cost. */
export interface ModelTurnRecord {
  content: string;
  /** What the model showed of its reasoning for this answer (a text reference when big); absent when none. */
  reasoning_content?: string;
  tool_calls?: ModelToolCall[];
  response_id?: string;
  metrics: TokenMetrics & { time_to_first_token?: number };
  /** Unix seconds, when the answer reached the workflow. */
  created_at: number;
}

/** One agent's or team leader's run, as the workflow records it. */
export interface ExecutorRunRecord {
  run_id: string;
  agent_id?: string;
  agent_name?: string;
  team_id?: string;
  team_name?: string;
  workflow_run_id: string;
  /** On a team member's run: the team's run. */
  parent_run_id?: string;
  /** On a step's own agent or team: the step. */
  workflow_step_id?: string;
  input: string;
  /** The system message: the instructions the model got. */
  instructions: string;
  model: string;
  model_provider: string;
  /** Unix seconds. */
  created_at: number;
  status: ExecutorRunStatus;
  /** The answer; the error's message on ERROR. */
  content?: string;
  metrics?: ExecutorRunMetrics;
  turns: ModelTurnRecord[];
  /** Tool calls that ended, in the order they ended. */
  tools: ToolExecution[];
  /** A team's members' runs, in the order they ended. */
  member_responses?: ExecutorRunRecord[];
  /** The tool calls the run waited on for a person, with the answers (see src/workflows/tool-pauses.ts). */
  requirements?: RunRequirement[];
}

/** A message of the conversation, as Agno's `Message.to_dict()` shows it (declared once as the wire's schema). */
export type RunMessage = z.output<typeof wire.RunMessage>;

/** An agent's or team's run as Agno's `RunOutput.to_dict()` / `TeamRunOutput.to_dict()` show it (declared once as the wire's schema). */
export type ExecutorRunOutput = z.output<typeof wire.ExecutorRunOutput>;

/** Agno's run keeps its answers' reasoning run together, in `reasoning_content`: absent when the model showed none. */
export function reasoningOf(run: ExecutorRunRecord): { reasoning_content?: string } {
  const reasoning = run.turns.map((turn) => turn.reasoning_content ?? '').join('');
  return reasoning ? { reasoning_content: reasoning } : {};
}

/** The run as Agno shows it, its messages derived from the record; `sessionId`: the workflow run's session. */
export function executorRunOutput(run: ExecutorRunRecord, sessionId: string): ExecutorRunOutput {
  const who = run.team_id !== undefined ? { team_id: run.team_id, team_name: run.team_name } : { agent_id: run.agent_id, agent_name: run.agent_name };
  const responseId = run.turns.findLast((turn) => turn.response_id !== undefined)?.response_id;
  return {
    run_id: run.run_id,
    ...who,
    session_id: sessionId,
    parent_run_id: run.parent_run_id ?? run.workflow_run_id,
    ...(run.workflow_step_id !== undefined ? { workflow_step_id: run.workflow_step_id } : {}),
    ...(run.content !== undefined ? { content: run.content } : {}),
    content_type: 'str',
    ...reasoningOf(run),
    model: run.model,
    model_provider: run.model_provider,
    ...(responseId !== undefined ? { model_provider_data: { response_id: responseId } } : {}),
    session_state: run.parent_run_id !== undefined ? { current_session_id: sessionId, current_run_id: run.run_id } : {},
    created_at: run.created_at,
    status: run.status,
    ...(run.status === 'CANCELLED' ? { cancellation_stage: 'EXECUTING' } : {}),
    ...(run.metrics !== undefined ? { metrics: run.metrics } : {}),
    events: [],
    messages: messagesOf(run),
    metadata: {},
    ...(run.tools.length > 0 ? { tools: run.tools } : {}),
    ...(run.requirements !== undefined ? { requirements: run.requirements } : {}),
    ...(run.member_responses !== undefined ? { member_responses: run.member_responses.map((member) => executorRunOutput(member, sessionId)) } : {}),
    input: { input_content: run.input },
  };
}

/** The conversation: system, user, then each answer of the model followed by the results of the tools it called. */
function messagesOf(run: ExecutorRunRecord): RunMessage[] {
  const messages: RunMessage[] = [];
  const add = (message: Omit<RunMessage, 'id' | 'from_history' | 'stop_after_tool_call'>) =>
    // Ids derived from the run: the same message has the same id however often it is shown.
    messages.push({ id: `${run.run_id}-${messages.length}`, ...message, from_history: false, stop_after_tool_call: false });
  if (run.instructions) add({ role: 'system', content: run.instructions, created_at: run.created_at });
  add({ role: 'user', content: run.input, created_at: run.created_at });
  const tools = new Map(run.tools.map((tool) => [tool.tool_call_id, tool]));
  for (const turn of run.turns) {
    const calls = turn.tool_calls ?? [];
    add({
      role: 'assistant',
      ...(turn.content ? { content: turn.content } : {}),
      ...(calls.length > 0
        ? { tool_calls: calls.map((call) => ({ id: call.id, call_id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })) }
        : {}),
      ...(turn.response_id !== undefined ? { provider_data: { response_id: turn.response_id } } : {}),
      metrics: turn.metrics,
      created_at: turn.created_at,
    });
    for (const call of calls) {
      const tool = tools.get(call.id);
      // Not ended: the run stopped while it ran, or waits for a person's answer to it.
      if (!tool || tool.requires_confirmation || tool.requires_user_input || tool.external_execution_required) continue;
      add({
        role: 'tool',
        content: tool.result ?? '',
        tool_call_id: tool.tool_call_id,
        tool_name: tool.tool_name,
        tool_args: tool.tool_args,
        tool_call_error: tool.tool_call_error ?? false,
        created_at: Math.floor(tool.metrics?.end_time ?? turn.created_at),
      });
    }
  }
  return messages;
}
