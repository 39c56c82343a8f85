/**
 * Sums model calls into Agno's metrics of a run (an agent's, a team leader's, a step's).
 *
 * What counts: each model call once, from its activity's result. A call retried by Temporal has
 * one result (the attempt that answered), so failed attempts add nothing; a step attempted again
 * after a failure starts from zero, so its metrics are those of the attempt that counted.
 * Parallel branches and team members each add their own calls to the step they run in.
 */
import type { ExecutorRunMetrics, ModelCallTiming, ModelTokens, TokenMetrics } from '../contracts/events.ts';

export function emptyMetrics(): ExecutorRunMetrics {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** Adds one model call: its tokens, to the total and to its model's entry; the first time to first token. */
export function addModelCall(metrics: ExecutorRunMetrics, model: Pick<ModelTokens, 'id' | 'provider'>, usage: TokenMetrics, timing?: ModelCallTiming): void {
  addTokens(metrics, usage);
  if (metrics.time_to_first_token === undefined && timing?.time_to_first_token !== undefined) metrics.time_to_first_token = timing.time_to_first_token;
  const details = (metrics.details ??= { model: [] });
  let entry = details.model.find((m) => m.id === model.id && m.provider === model.provider);
  if (!entry) details.model.push((entry = { id: model.id, provider: model.provider, input_tokens: 0, output_tokens: 0, total_tokens: 0 }));
  addTokens(entry, usage);
}

function addTokens(total: TokenMetrics, more: TokenMetrics): void {
  total.input_tokens += more.input_tokens;
  total.output_tokens += more.output_tokens;
  total.total_tokens += more.total_tokens;
}
