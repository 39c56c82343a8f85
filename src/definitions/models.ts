/**
 * Model definitions. A model compiles to a `ModelPlan` without its API key: secrets stay in the
 * worker's registry and environment, never in workflow history.
 */
import type { ModelPlan, ModelProvider, ReasoningSummary } from '../contracts/plan.ts';

export interface OpenAIModelOptions {
  /** Model id, e.g. `gpt-5.2`. */
  id: string;
  /** Overrides `OPENAI_API_KEY` on the worker. Not written into run history. */
  apiKey?: string;
  /** Overrides `OPENAI_BASE_URL`; for OpenAI-compatible servers (Ollama, vLLM, llama.cpp). */
  baseURL?: string;
  temperature?: number;
  maxOutputTokens?: number;
  /**
   * Responses only: asks a reasoning model for a summary of its reasoning (Agno's
   * `reasoning_summary`), which the run's log keeps in `reasoning_content`. Chat Completions
   * servers that show reasoning send it unasked.
   */
  reasoningSummary?: ReasoningSummary;
}

export abstract class OpenAIModel {
  abstract readonly provider: ModelProvider;
  readonly id: string;
  readonly apiKey: string | undefined;
  readonly baseURL: string | undefined;
  readonly temperature: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly reasoningSummary: ReasoningSummary | undefined;

  constructor(options: OpenAIModelOptions) {
    if (!options?.id) throw new Error('A model needs an id, e.g. new OpenAIResponses({ id: "gpt-5.2" }).');
    this.id = options.id;
    this.apiKey = options.apiKey;
    this.baseURL = options.baseURL;
    this.temperature = options.temperature;
    this.maxOutputTokens = options.maxOutputTokens;
    this.reasoningSummary = options.reasoningSummary;
  }

  toPlan(ref: string): ModelPlan {
    const plan: ModelPlan = { provider: this.provider, id: this.id, ref };
    if (this.baseURL !== undefined) plan.baseURL = this.baseURL;
    if (this.temperature !== undefined) plan.temperature = this.temperature;
    if (this.maxOutputTokens !== undefined) plan.maxOutputTokens = this.maxOutputTokens;
    if (this.reasoningSummary !== undefined) plan.reasoningSummary = this.reasoningSummary;
    return plan;
  }
}

/** OpenAI's Responses API (`/v1/responses`), streamed. */
export class OpenAIResponses extends OpenAIModel {
  readonly provider = 'openai-responses' as const;
}

/** Chat Completions (`/v1/chat/completions`), for OpenAI and OpenAI-compatible servers. */
export class OpenAIChat extends OpenAIModel {
  readonly provider = 'openai-chat' as const;
}

/**
 * The definition class of every provider a plan can name, each making plans of its own provider.
 * Typed by `ModelProvider`, so a new provider does not compile until it has a class here and an
 * adapter in src/activities/providers/.
 */
const modelClasses = {
  'openai-responses': OpenAIResponses,
  'openai-chat': OpenAIChat,
} satisfies { [P in ModelProvider]: new (options: never) => { readonly provider: P } };

export type Model = InstanceType<(typeof modelClasses)[ModelProvider]>;
