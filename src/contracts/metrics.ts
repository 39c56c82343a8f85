/**
 * Token usage and timings, in Agno's metrics shapes: per model call, per agent or team run, per
 * step and per workflow run.
 */

export interface TokenMetrics {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  /** Of one model call, when the provider tells them (part of the tokens above, not summed on). */
  reasoning_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  /** Seconds. */
  duration?: number;
}

/** One model's share of a run's tokens: an entry of Agno's `details.model[]`. */
export interface ModelTokens {
  id: string;
  provider: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/**
 * Agno's `RunMetrics` of an agent's or a team leader's run: the tokens of its own model calls
 * (a team's members report theirs in their own runs), the first call's time to first token, and
 * the tokens per model.
 */
export interface ExecutorRunMetrics extends TokenMetrics {
  /** Seconds from the start of the run's first streamed model call to its first token. */
  time_to_first_token?: number;
  details?: { model: ModelTokens[] };
}

/** How long one model call took, measured by the activity that made it (seconds). */
export interface ModelCallTiming {
  duration: number;
  /** Absent when the model sent no text (an answer of tool calls only). */
  time_to_first_token?: number;
}

/** Agno's workflow metrics shape: per step, plus the run's duration in seconds. */
export interface RunMetrics {
  steps: Record<string, { step_name: string; executor_type: string; executor_name: string; metrics: ExecutorRunMetrics }>;
  duration?: number;
}
