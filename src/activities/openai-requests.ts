/**
 * One model call against the OpenAI Responses API or Chat Completions, streamed or not, reduced to
 * a provider-neutral result. Token deltas go to `onDelta` as they arrive.
 */
import type OpenAI from 'openai';
import type { ResponseInputItem, ResponseOutputItem, ResponseUsage } from 'openai/resources/responses/responses';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { TokenMetrics } from '../contracts/events.ts';
import type { ModelCallInput, ModelCallResult, ModelToolCall } from '../contracts/activities.ts';

export interface RequestContext {
  signal: AbortSignal;
  onDelta(text: string): void;
}

// ---- Responses API -------------------------------------------------------------------------

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

function responsesResult(output: ResponseOutputItem[], usage: ResponseUsage | undefined): ModelCallResult {
  let content = '';
  const toolCalls: ModelToolCall[] = [];
  for (const item of output) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') content += part.text;
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    }
  }
  return {
    content,
    toolCalls,
    usage: tokens(usage?.input_tokens, usage?.output_tokens),
  };
}

export async function callResponses(client: OpenAI, input: ModelCallInput, ctx: RequestContext): Promise<ModelCallResult> {
  const body = {
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
  };
  if (!input.stream) {
    const response = await client.responses.create({ ...body, stream: false }, { signal: ctx.signal });
    return responsesResult(response.output, response.usage);
  }
  const stream = await client.responses.create({ ...body, stream: true }, { signal: ctx.signal });
  for await (const event of stream) {
    switch (event.type) {
      case 'response.output_text.delta':
        ctx.onDelta(event.delta);
        break;
      case 'response.completed':
        return responsesResult(event.response.output, event.response.usage);
      case 'response.failed':
      case 'response.incomplete':
        throw new Error(`the response ended ${event.response.status}: ${event.response.error?.message ?? event.response.incomplete_details?.reason ?? 'no reason given'}`);
      case 'error':
        throw new Error(`the stream reported an error: ${event.message}`);
    }
  }
  throw new Error('the stream ended before the response completed');
}

// ---- Chat Completions ----------------------------------------------------------------------

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

export async function callChat(client: OpenAI, input: ModelCallInput, ctx: RequestContext): Promise<ModelCallResult> {
  const tools: ChatCompletionTool[] = input.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  const body = {
    model: input.model.id,
    messages: chatMessages(input),
    ...(tools.length > 0 ? { tools } : {}),
    ...(input.model.temperature !== undefined ? { temperature: input.model.temperature } : {}),
    ...(input.model.maxOutputTokens !== undefined ? { max_completion_tokens: input.model.maxOutputTokens } : {}),
  };
  if (!input.stream) {
    const completion = await client.chat.completions.create({ ...body, stream: false }, { signal: ctx.signal });
    const message = completion.choices[0]?.message;
    return {
      content: message?.content ?? '',
      toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
      ),
      usage: tokens(completion.usage?.prompt_tokens, completion.usage?.completion_tokens),
    };
  }
  const stream = await client.chat.completions.create(
    { ...body, stream: true, stream_options: { include_usage: true } },
    { signal: ctx.signal },
  );
  let content = '';
  let usage: TokenMetrics = tokens(0, 0);
  let finished = false;
  // Tool call fragments arrive by index: the first carries id and name, later ones more arguments.
  const calls = new Map<number, ModelToolCall>();
  for await (const chunk of stream) {
    if (chunk.usage) usage = tokens(chunk.usage.prompt_tokens, chunk.usage.completion_tokens);
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta?.content) {
      content += choice.delta.content;
      ctx.onDelta(choice.delta.content);
    }
    for (const fragment of choice.delta?.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { id: '', name: '', arguments: '' };
      if (fragment.id) call.id = fragment.id;
      if (fragment.function?.name) call.name += fragment.function.name;
      if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
      calls.set(fragment.index, call);
    }
    if (choice.finish_reason) finished = true;
  }
  if (!finished) throw new Error('the stream ended without a finish reason');
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return { content, toolCalls, usage };
}

function tokens(input: number | undefined, output: number | undefined): TokenMetrics {
  const i = input ?? 0;
  const o = output ?? 0;
  return { input_tokens: i, output_tokens: o, total_tokens: i + o };
}
