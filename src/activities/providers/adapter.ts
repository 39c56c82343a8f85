/**
 * What a model provider must supply to the model call activity. Each `ModelProvider` of the plan
 * has one adapter (see ./index.ts); the activity itself knows nothing provider-specific.
 */
import type { ModelCallInput, ModelCallResult } from '../../contracts/activities.ts';
import type { TokenMetrics } from '../../contracts/events.ts';
import type { Model } from '../../definitions/models.ts';

/** One model call, as the activity hands it to the adapter of the plan's provider. */
export interface ModelRequest {
  /** The provider-neutral call: model plan, instructions, conversation, tools, streaming or not. */
  input: ModelCallInput;
  /**
   * The model's definition in the worker's registry, for what never goes into history (API key,
   * base URL); undefined when the worker does not know the model (a plan from another worker).
   */
  definition: Model | undefined;
  env: NodeJS.ProcessEnv;
  /** Aborts the HTTP request when the activity is cancelled. */
  signal: AbortSignal;
  /** Receives token deltas as they arrive; only called when `input.stream` is set. */
  onDelta(text: string): void;
  /** Receives the model's reasoning as it arrives (never mixed into the answer's deltas); only called when `input.stream` is set. */
  onReasoningDelta(text: string): void;
}

export interface ModelProviderAdapter {
  /** How failures name the provider, e.g. `OpenAI Responses returned 429: …`. */
  readonly displayName: string;
  /** Builds the provider's request from the conversation, sends it, and reduces the answer to a result. */
  call(request: ModelRequest): Promise<ModelCallResult>;
  /**
   * The failure to throw for an error of `call`: retryable or not (see ../model-errors.ts for the
   * policy every provider follows).
   */
  failure(err: unknown): unknown;
}

export function tokenUsage(input: number | undefined, output: number | undefined, detail: { reasoning?: number; cacheRead?: number } = {}): TokenMetrics {
  const i = input ?? 0;
  const o = output ?? 0;
  return {
    input_tokens: i,
    output_tokens: o,
    total_tokens: i + o,
    ...(detail.reasoning !== undefined ? { reasoning_tokens: detail.reasoning } : {}),
    ...(detail.cacheRead !== undefined ? { cache_read_tokens: detail.cacheRead } : {}),
  };
}
