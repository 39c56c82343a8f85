/** The worker's own metrics of the calls its activities make: model calls and their tokens, tool calls. */
import { LATENCY_BUCKETS } from '../metrics/instruments.ts';
import type { Counter, Histogram } from '../metrics/instruments.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

/** How a model call ended: answered, failed (the provider's error or ours), or cancelled with its run. */
export type ModelCallOutcome = 'ok' | 'error' | 'cancelled';

/**
 * How a tool call ended: `ok`; an error the model is told as text (`error`, `timeout`,
 * `invalid_arguments`); a failure the tool threw on purpose, for Temporal to retry or to fail the
 * run (`failure`); `cancelled` with its run; `unknown_tool` (not registered on this worker).
 */
export type ToolCallOutcome = 'ok' | 'error' | 'timeout' | 'invalid_arguments' | 'failure' | 'cancelled' | 'unknown_tool';

export interface ActivityMetrics {
  modelCalls: Counter<'provider' | 'model' | 'outcome'>;
  modelTokens: Counter<'provider' | 'model' | 'kind'>;
  modelCallDuration: Histogram<'provider' | 'model'>;
  toolCalls: Counter<'tool' | 'outcome'>;
  toolCallDuration: Histogram<'tool'>;
}

/** Model answers take seconds to minutes. */
const MODEL_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function activityMetrics(registry: MetricsRegistry): ActivityMetrics {
  return {
    modelCalls: registry.counter('durable_agents_model_calls_total', 'Model call attempts, by provider, model id and outcome (ok, error, cancelled).', ['provider', 'model', 'outcome']),
    modelTokens: registry.counter('durable_agents_model_tokens_total', 'Tokens of answered model calls as the provider counted them, by provider, model id and kind (input, output).', ['provider', 'model', 'kind']),
    modelCallDuration: registry.histogram('durable_agents_model_call_duration_seconds', 'Seconds from a model request to its whole answer, of answered calls.', ['provider', 'model'], MODEL_BUCKETS),
    toolCalls: registry.counter(
      'durable_agents_tool_calls_total',
      'Tool call attempts, by tool and outcome (ok; error, timeout, invalid_arguments: told to the model; failure: thrown for Temporal; cancelled; unknown_tool).',
      ['tool', 'outcome'],
    ),
    toolCallDuration: registry.histogram('durable_agents_tool_call_duration_seconds', 'Seconds a tool took, of calls that ran it.', ['tool'], LATENCY_BUCKETS),
  };
}
