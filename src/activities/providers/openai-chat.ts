/** Chat Completions (`/v1/chat/completions`), for OpenAI and OpenAI-compatible servers. */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { TokenMetrics } from '../../contracts/events.ts';
import type { ModelCallInput, ModelCallResult, ModelToolCall } from '../../contracts/activities.ts';
import { incompleteAnswerFailure } from '../model-errors.ts';
import { tokenUsage } from './adapter.ts';
import type { ModelProviderAdapter, ModelRequest } from './adapter.ts';
import { openAIClient, openAIFailure } from './openai-client.ts';

const DISPLAY_NAME = 'OpenAI Chat Completions';

export const openAIChat: ModelProviderAdapter = {
  displayName: DISPLAY_NAME,
  call: callChat,
  failure: (err) => openAIFailure(DISPLAY_NAME, err),
};

function requestBody(input: ModelCallInput) {
  const tools: ChatCompletionTool[] = input.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  return {
    model: input.model.id,
    messages: chatMessages(input),
    ...(tools.length > 0 ? { tools } : {}),
    ...(input.model.temperature !== undefined ? { temperature: input.model.temperature } : {}),
    ...(input.model.maxOutputTokens !== undefined ? { max_completion_tokens: input.model.maxOutputTokens } : {}),
  };
}

/** The conversation as chat messages: instructions become the system message. */
function chatMessages(input: ModelCallInput): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = input.instructions ? [{ role: 'system', content: input.instructions }] : [];
  for (const message of input.messages) {
    switch (message.role) {
      case 'user':
        messages.push({ role: 'user', content: message.content });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          content: message.content || null,
          ...(message.toolCalls?.length
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        });
        break;
      case 'tool':
        messages.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
    }
  }
  return messages;
}

async function callChat(request: ModelRequest): Promise<ModelCallResult> {
  const { input, signal } = request;
  const client = openAIClient(request);
  const body = requestBody(input);
  if (!input.stream) {
    const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
    const message = completion.choices[0]?.message;
    throwIfCutShort(completion.choices[0]?.finish_reason);
    const reasoning = reasoningOf(message);
    return {
      content: message?.content ?? '',
      ...(reasoning ? { reasoning } : {}),
      toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
      ),
      usage: tokenUsage(completion.usage?.prompt_tokens, completion.usage?.completion_tokens),
    };
  }
  const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
  let content = '';
  let reasoning = '';
  let usage: TokenMetrics = tokenUsage(0, 0);
  let finishReason: string | null = null;
  // Tool call fragments arrive by index: the first carries id and name, later ones more arguments.
  const calls = new Map<number, ModelToolCall>();
  for await (const chunk of stream) {
    if (chunk.usage) usage = tokenUsage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens);
    const choice = chunk.choices[0];
    if (!choice) continue;
    const reasoningDelta = reasoningOf(choice.delta);
    if (reasoningDelta) {
      reasoning += reasoningDelta;
      request.onReasoningDelta(reasoningDelta);
    }
    if (choice.delta?.content) {
      content += choice.delta.content;
      request.onDelta(choice.delta.content);
    }
    for (const fragment of choice.delta?.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { id: '', name: '', arguments: '' };
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name += fragment.function.name;
      if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
      calls.set(fragment.index, call);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  if (!finishReason) throw new Error('the stream ended without a finish reason');
  throwIfCutShort(finishReason);
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return { content, toolCalls, usage, ...(reasoning ? { reasoning } : {}) };
}

/**
 * The reasoning an OpenAI-compatible server sends beside the answer (DeepSeek, vLLM, OpenRouter):
 * `reasoning_content`, or `reasoning` on some servers, as Agno reads them. Not in the `openai`
 * package's types; the client passes the field through.
 */
function reasoningOf(message: object | undefined): string | undefined {
  const { reasoning_content: content, reasoning } = (message ?? {}) as { reasoning_content?: unknown; reasoning?: unknown };
  if (typeof content === 'string') return content;
  return typeof reasoning === 'string' ? reasoning : undefined;
}

/** `length` (the output token limit) and `content_filter` end an answer before it is complete. */
function throwIfCutShort(finishReason: string | null | undefined): void {
  if (finishReason === 'length' || finishReason === 'content_filter') throw incompleteAnswerFailure(DISPLAY_NAME, `finish_reason ${finishReason}`);
}
