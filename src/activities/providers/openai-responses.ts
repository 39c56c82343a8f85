/** OpenAI's Responses API (`/v1/responses`), streamed or not. */
import { ApplicationFailure } from '@temporalio/activity';
import type { ResponseError, ResponseInputItem, ResponseOutputItem, ResponseUsage } from 'openai/resources/responses/responses';
import type { ModelCallInput, ModelCallResult, ModelToolCall } from '../../contracts/activities.ts';
import { incompleteAnswerFailure } from '../model-errors.ts';
import { tokenUsage } from './adapter.ts';
import type { ModelProviderAdapter, ModelRequest } from './adapter.ts';
import { openAIClient, openAIFailure } from './openai-client.ts';

const DISPLAY_NAME = 'OpenAI Responses';

export const openAIResponses: ModelProviderAdapter = {
  displayName: DISPLAY_NAME,
  call: callResponses,
  failure: (err) => openAIFailure(DISPLAY_NAME, err),
};

function requestBody(input: ModelCallInput) {
  return {
    model: input.model.id,
    input: responsesInput(input),
    ...(input.instructions ? { instructions: input.instructions } : {}),
    ...(input.tools.length > 0
      ? {
          tools: input.tools.map((tool) => ({
            type: 'function' as const,
            name: tool.name,
            description: tool.description,
            parameters: tool.parameters,
            strict: false,
          })),
        }
      : {}),
    ...(input.model.temperature !== undefined ? { temperature: input.model.temperature } : {}),
    ...(input.model.maxOutputTokens !== undefined ? { max_output_tokens: input.model.maxOutputTokens } : {}),
    ...(input.model.reasoningSummary !== undefined ? { reasoning: { summary: input.model.reasoningSummary } } : {}),
  };
}

/** The conversation as input items: an assistant's tool calls and their outputs are items of their own. */
function responsesInput(input: ModelCallInput): ResponseInputItem[] {
  return input.messages.flatMap((message): ResponseInputItem[] => {
    switch (message.role) {
      case 'user':
        return [{ role: 'user', content: message.content }];
      case 'assistant':
        return [
          ...(message.content ? [{ role: 'assistant' as const, content: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: 'function_call' as const,
            call_id: call.id,
            name: call.name,
            arguments: call.arguments,
          })),
        ];
      case 'tool':
        return [{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }];
    }
  });
}

async function callResponses(request: ModelRequest): Promise<ModelCallResult> {
  const { input, signal } = request;
  const client = openAIClient(request);
  const body = requestBody(input);
  if (!input.stream) {
    const response = await client.responses.create({ ...body, stream: false }, { signal });
    if (response.status === 'incomplete') throw incompleteAnswerFailure(DISPLAY_NAME, response.incomplete_details?.reason ?? 'no reason given');
    return responsesResult(response);
  }
  const stream = await client.responses.create({ ...body, stream: true }, { signal });
  for await (const event of stream) {
    switch (event.type) {
      case 'response.output_text.delta':
        request.onDelta(event.delta);
        break;
      case 'response.reasoning_summary_text.delta':
        request.onReasoningDelta(event.delta);
        break;
      case 'response.completed':
        return responsesResult(event.response);
      case 'response.failed':
        throw failedResponse(event.response.error);
      case 'response.incomplete':
        throw incompleteAnswerFailure(DISPLAY_NAME, event.response.incomplete_details?.reason ?? 'no reason given');
      case 'error':
        throw new Error(`the stream reported an error: ${event.message}`);
    }
  }
  throw new Error('the stream ended before the response completed');
}

/** Codes of a failed response worth another attempt; the others (an invalid prompt or image, …) fail the same way again. */
const RETRYABLE_FAILURE_CODES = new Set(['server_error', 'rate_limit_exceeded', 'vector_store_timeout']);

function failedResponse(error: ResponseError | null): unknown {
  const message = `the response failed: ${error?.message ?? 'no reason given'}`;
  if (!error || RETRYABLE_FAILURE_CODES.has(error.code)) return new Error(message);
  return ApplicationFailure.create({ message: `${DISPLAY_NAME} ${message} (${error.code})`, type: 'ModelResponseFailed', nonRetryable: true });
}

function responsesResult({ id, output, usage }: { id: string; output: ResponseOutputItem[]; usage?: ResponseUsage | undefined }): ModelCallResult {
  let content = '';
  // The summaries of the model's reasoning, joined as Agno joins them (the reasoning itself stays with OpenAI).
  let reasoning = '';
  const toolCalls: ModelToolCall[] = [];
  for (const item of output) {
    if (item.type === 'reasoning') {
      for (const summary of item.summary) reasoning += summary.text;
    } else if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') content += part.text;
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    }
  }
  return {
    content,
    toolCalls,
    usage: tokenUsage(usage?.input_tokens, usage?.output_tokens, {
      reasoning: usage?.output_tokens_details?.reasoning_tokens,
      cacheRead: usage?.input_tokens_details?.cached_tokens,
    }),
    responseId: id,
    ...(reasoning ? { reasoning } : {}),
  };
}
