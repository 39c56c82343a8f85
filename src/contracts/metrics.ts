/**
 * Token usage and timings, in Agno's metrics shapes: per model call, per agent or team run, per
 * step and per workflow run. The shapes are declared once, as the wire's schemas
 * (wire-schemas/run-parts.ts); these are their types (imported as types only: no zod at runtime).
 */
import type { z } from 'zod';
import type * as wire from './wire-schemas/run-parts.ts';

/** Tokens of a model call or a run; `reasoning_tokens` and the cache counts of one model call, when the provider tells them. */
export type TokenMetrics = z.output<typeof wire.TokenMetrics>;

/** One model's share of a run's tokens: an entry of Agno's `details.model[]`. */
export type ModelTokens = NonNullable<ExecutorRunMetrics['details']>['model'][number];

/**
 * Agno's `RunMetrics` of an agent's or a team leader's run: the tokens of its own model calls
 * (a team's members report theirs in their own runs), the first call's time to first token, and
 * the tokens per model.
 */
export type ExecutorRunMetrics = z.output<typeof wire.ExecutorRunMetrics>;

/** How long one model call took, measured by the activity that made it (seconds). */
export interface ModelCallTiming {
  duration: number;
  /** Absent when the model sent no text (an answer of tool calls only). */
  time_to_first_token?: number;
}

/** Agno's workflow metrics shape: per step, plus the run's duration in seconds. */
export type RunMetrics = z.output<typeof wire.RunMetrics>;
