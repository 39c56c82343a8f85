/**
 * A run's tokens in all, and a session's (Agno's `session_metrics`): the sums of the steps'
 * token counts, with the tokens per model. The run keeps its totals in its memo as its steps
 * finish (see `RUN_TOKENS_MEMO`), so session lists add them up from Temporal visibility alone,
 * without reading any run's state.
 */
import type { z } from 'zod';
import type { RunMetrics } from './metrics.ts';
import type * as wire from './wire-schemas/run-parts.ts';

/** Agno's session metrics: tokens summed, and per model (`details.model`); declared once as the wire's schema. */
export type TokenTotals = z.output<typeof wire.TokenTotals>;

/** The memo key a run keeps its `TokenTotals` under (a stored name: it never changes). */
export const RUN_TOKENS_MEMO = 'tokens';

export function emptyTokenTotals(): TokenTotals {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** Adds `more` to `into`: the counts, and each model's share (one entry per model id and provider). */
export function addTokenTotals(into: TokenTotals, more: TokenTotals): TokenTotals {
  into.input_tokens += more.input_tokens;
  into.output_tokens += more.output_tokens;
  into.total_tokens += more.total_tokens;
  for (const model of more.details?.model ?? []) {
    into.details ??= { model: [] };
    const entry = into.details.model.find((known) => known.id === model.id && known.provider === model.provider);
    if (!entry) into.details.model.push({ ...model });
    else {
      entry.input_tokens += model.input_tokens;
      entry.output_tokens += model.output_tokens;
      entry.total_tokens += model.total_tokens;
    }
  }
  return into;
}

/** The tokens of every step of a run, summed. */
export function runTokenTotals(metrics: RunMetrics | undefined): TokenTotals {
  const total = emptyTokenTotals();
  for (const step of Object.values(metrics?.steps ?? {})) {
    const { input_tokens, output_tokens, total_tokens, details } = step.metrics;
    addTokenTotals(total, { input_tokens, output_tokens, total_tokens, ...(details ? { details } : {}) });
  }
  return total;
}

/** Totals as a memo or a list holds them: undefined when the value is not one (a run recorded before they were kept). */
export function tokenTotalsOf(value: unknown): TokenTotals | undefined {
  const totals = value as TokenTotals | undefined;
  return typeof totals?.total_tokens === 'number' && typeof totals.input_tokens === 'number' && typeof totals.output_tokens === 'number' ? totals : undefined;
}
