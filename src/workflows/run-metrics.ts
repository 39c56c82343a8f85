/**
 * Sums model calls into Agno's metrics of a run (an agent's, a team leader's, a step's).
 *
 * What counts: each model call once, from its activity's result. A call retried by Temporal has
 * one result (the attempt that answered), so failed attempts add nothing; a step attempted again
 * after a failure starts from zero, so its metrics are those of the attempt that counted.
 * Parallel branches and team members each add their own calls to the step they run in.
 */
import type { ExecutorRunMetrics, ModelCallTiming, ModelTokens, StepResult, TokenMetrics } from '../contracts/events.ts';

export function emptyMetrics(): ExecutorRunMetrics {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** Adds one model call: its tokens, to the total and to its model's entry; the first time to first token. */
export function addModelCall(metrics: ExecutorRunMetrics, model: Pick<ModelTokens, 'id' | 'provider'>, usage: TokenMetrics, timing?: ModelCallTiming): void {
  addTokens(metrics, usage);
  if (metrics.time_to_first_token === undefined && timing?.time_to_first_token !== undefined) metrics.time_to_first_token = timing.time_to_first_token;
  addToModel((metrics.details ??= { model: [] }), model, usage);
}

/**
 * Adds metrics reported by a function step (tokens it spent on models of its own) into the
 * step's. They come from user code: only finite, non-negative counts are taken.
 */
export function addReportedMetrics(metrics: ExecutorRunMetrics, reported: unknown): void {
  if (typeof reported !== 'object' || reported === null) return;
  const more = reported as Partial<ExecutorRunMetrics>;
  const input = count(more.input_tokens);
  const output = count(more.output_tokens);
  addTokens(metrics, { input_tokens: input, output_tokens: output, total_tokens: count(more.total_tokens) || input + output });
  for (const entry of Array.isArray(more.details?.model) ? more.details.model : []) {
    if (typeof entry?.id !== 'string') continue;
    const i = count(entry.input_tokens);
    const o = count(entry.output_tokens);
    addToModel((metrics.details ??= { model: [] }), { id: entry.id, provider: String(entry.provider ?? '') }, { input_tokens: i, output_tokens: o, total_tokens: count(entry.total_tokens) || i + o });
  }
}

/**
 * A step's metrics in the run's: its own, or for a group (Parallel, Loop, ...) the sum of the
 * steps it ran, so that tokens spent in parallel branches or loop iterations count once each.
 */
export function stepMetrics(result: StepResult): ExecutorRunMetrics {
  if (result.metrics) return result.metrics;
  const total = emptyMetrics();
  for (const inner of result.steps ?? []) {
    const more = stepMetrics(inner);
    addTokens(total, more);
    if (total.time_to_first_token === undefined && more.time_to_first_token !== undefined) total.time_to_first_token = more.time_to_first_token;
    for (const entry of more.details?.model ?? []) addToModel((total.details ??= { model: [] }), entry, entry);
  }
  return total;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function addToModel(details: { model: ModelTokens[] }, model: Pick<ModelTokens, 'id' | 'provider'>, usage: TokenMetrics): void {
  let entry = details.model.find((m) => m.id === model.id && m.provider === model.provider);
  if (!entry) details.model.push((entry = { id: model.id, provider: model.provider, input_tokens: 0, output_tokens: 0, total_tokens: 0 }));
  addTokens(entry, usage);
}

function addTokens(total: TokenMetrics, more: TokenMetrics): void {
  total.input_tokens += more.input_tokens;
  total.output_tokens += more.output_tokens;
  total.total_tokens += more.total_tokens;
}
