/**
 * What the events of agents' and team leaders' runs carry beyond their identity, as Agno's
 * `RunOutputEvent`s and `TeamRunOutputEvent`s name it: the same fields under the agent's and the
 * team's event names.
 */
import type { ExecutorRunOutput } from './executor-runs.ts';
import type { ExecutorRunMetrics, TokenMetrics } from './metrics.ts';
import type { ToolExecution } from './tool-execution.ts';

export type { ToolExecution } from './tool-execution.ts';

/** What the events of an agent's run and of a team leader's run add to their identity. */
export interface ExecutorEventFields {
  Started: { model: string; model_provider: string };
  /**
   * A piece of the model's answer, streamed. `model_call_id` and `model_call_attempt` name the
   * model call and the attempt whose live text it is (absent on events recorded before the live lane).
   * An agent's every model answer starts with one of empty `content` naming the provider's
   * response in `model_provider_data`, as Agno's does (also an answer of tool calls only).
   */
  Content: { content: string; model_call_id?: string; model_call_attempt?: number; model_provider_data?: { response_id: string } };
  ModelRequestStarted: { model: string; model_provider: string };
  /** `time_to_first_token` in seconds, absent when the model sent no text. */
  ModelRequestCompleted: { model: string; model_provider: string; time_to_first_token?: number } & Omit<TokenMetrics, 'duration'>;
  ContentCompleted: Record<never, never>;
  /**
   * `session_state`: Agno's current session and run; `model_provider_data`: the last response's
   * id; `member_responses`: a team's members' whole runs (absent on an agent's). All but
   * `content` are absent on events recorded before they were sent.
   */
  Completed: {
    content: string;
    content_type: string;
    metrics?: ExecutorRunMetrics;
    model_provider_data?: { response_id: string };
    session_state?: { current_session_id: string; current_run_id: string };
    metadata?: Record<string, unknown>;
    member_responses?: ExecutorRunOutput[];
  };
  /** Agno carries the error message in `content`, and the failure's kind in `error_type` (absent on older events). */
  Error: { content: string; error_type?: string };
  ToolCallStarted: { tool: ToolExecution };
  /** `content` repeats the tool's result. */
  ToolCallCompleted: { tool: ToolExecution; content: string };
}
