/**
 * What a model call and a tool call give back to the workflow: the activities' results. Apart
 * from their inputs (./activities.ts), which name the plan: a retry carries these results in its
 * run's input (./reused-calls.ts), and the plan does not depend on itself.
 */
import type { ModelCallTiming, TokenMetrics } from './events.ts';
import type { ConversationArchive, ModelToolCall } from './conversation.ts';

export interface ModelCallResult {
  /** The reply, or a reference to it when it is big (see text-refs.ts). */
  content: string;
  /**
   * The model's reasoning as the provider shows it (a summary, for OpenAI's reasoning models),
   * or a reference to it when it is big; absent when the model showed none.
   */
  reasoning?: string;
  /** The lengths of the reasoning's deltas as they streamed (they add up to it); absent when it came whole. */
  reasoningSegments?: number[];
  toolCalls: ModelToolCall[];
  usage: TokenMetrics;
  /** Measured by the activity around the provider's request (absent in runs recorded before). */
  timing?: ModelCallTiming;
  /** The provider's id of the response, when it gives one (Agno's `model_provider_data`). */
  responseId?: string;
  /**
   * Set when the call archived the conversation it was sent (`earlier` and `messages`): the
   * workflow keeps this in their place, so the next call's input stays small.
   */
  archived?: ConversationArchive;
  /**
   * How the content streamed: the lengths of the deltas that attempt `attempt` published live,
   * in order (they add up to the content). Absent when the call did not stream.
   */
  streamed?: { attempt: number; segments: number[] };
}

export interface ToolCallResult {
  /** What goes back to the model: the tool's output or an error message (a text reference when big). */
  output: string;
  isError: boolean;
  /** Set when the output was cut to fit the payload budget. */
  truncated: boolean;
}
