/**
 * Every model provider a plan can name, with its adapter. The record is typed by `ModelProvider`,
 * so a provider added to the plan type does not compile until it has an adapter here (and a
 * definition class in src/definitions/models.ts and a label in src/workflows/model-loop.ts).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ModelProvider } from '../../contracts/plan.ts';
import type { ModelProviderAdapter } from './adapter.ts';
import { openAIChat } from './openai-chat.ts';
import { openAIResponses } from './openai-responses.ts';

export type { ModelProviderAdapter, ModelRequest } from './adapter.ts';

export const modelProviders: Record<ModelProvider, ModelProviderAdapter> = {
  'openai-responses': openAIResponses,
  'openai-chat': openAIChat,
};

/**
 * The adapter of a plan's provider. Plans come from history, so one may name a provider this
 * worker's code no longer has: that fails the call for good, as no retry can change it.
 */
export function modelProvider(provider: ModelProvider): ModelProviderAdapter {
  const adapter = Object.hasOwn(modelProviders, provider) ? modelProviders[provider] : undefined;
  if (adapter) return adapter;
  throw ApplicationFailure.create({
    message: `The model provider ${JSON.stringify(provider)} is not known to this worker (known: ${Object.keys(modelProviders).join(', ')}).`,
    type: 'UnknownModelProvider',
    nonRetryable: true,
  });
}
