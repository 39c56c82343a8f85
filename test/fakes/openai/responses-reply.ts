/** A scripted answer as the Responses API sends it: one JSON response, or its SSE event sequence. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from './normalize.ts';
import { breakConnection, failNonStreaming, newId, sendError, sendJson, sentText, serverError, startSse, splitIntoChunks, streamChunks, writeAsync } from './wire.ts';
import type { Exchange, Plan, ResolvedCall } from './wire.ts';

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

function responseObject(ex: Exchange, id: string, createdAt: number, status: Status, output: Json[], usage: Json | null, extra: Json = {}): Json {
  const b = ex.body;
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details: null,
    instructions: b['instructions'] ?? null,
    max_output_tokens: b['max_output_tokens'] ?? null,
    max_tool_calls: b['max_tool_calls'] ?? null,
    model: ex.req.model,
    output,
    parallel_tool_calls: b['parallel_tool_calls'] ?? true,
    previous_response_id: b['previous_response_id'] ?? null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: b['store'] ?? true,
    temperature: b['temperature'] ?? 1,
    text: b['text'] ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: b['tool_choice'] ?? 'auto',
    tools: b['tools'] ?? [],
    top_logprobs: 0,
    top_p: b['top_p'] ?? 1,
    truncation: 'disabled',
    usage,
    user: null,
    metadata: b['metadata'] ?? {},
    ...extra,
  };
}

function responsesUsage(usage: { input: number; output: number }): Json {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  };
}

function outputTextPart(text: string): Json {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function messageItem(id: string, text: string, status: 'in_progress' | 'completed' | 'incomplete'): Json {
  return { id, type: 'message', status, content: status === 'in_progress' ? [] : [outputTextPart(text)], role: 'assistant' };
}

function reasoningItem(id: string, summary: string | undefined): Json {
  return { id, type: 'reasoning', summary: summary === undefined ? [] : [{ type: 'summary_text', text: summary }] };
}

function functionCallItem(id: string, call: ResolvedCall, status: 'in_progress' | 'completed'): Json {
  return { id, type: 'function_call', status, arguments: status === 'completed' ? call.arguments : '', call_id: call.callId, name: call.name };
}

export async function replyResponses(ex: Exchange, plan: Plan): Promise<void> {
  const respId = newId('resp_');
  const msgId = newId('msg_');
  const fcIds = plan.calls.map(() => newId('fc_'));
  const rsId = newId('rs_');
  const createdAt = Math.floor(Date.now() / 1000);
  const usage = responsesUsage(plan.usage);
  const ending = plan.cutShort?.ending;
  const finalOutput = (): Json[] => [
    ...(plan.reasoning ? [reasoningItem(rsId, plan.reasoning)] : []),
    ...(plan.text !== undefined ? [messageItem(msgId, plan.text, 'completed')] : []),
    ...plan.calls.map((call, i) => functionCallItem(fcIds[i] ?? '', call, 'completed')),
  ];
  const incomplete = (reason: string): Json =>
    responseObject(ex, respId, createdAt, 'incomplete', [messageItem(msgId, sentText(plan), 'incomplete')], usage, { incomplete_details: { reason } });

  if (!ex.req.stream) {
    if (ending?.kind === 'break' || ending?.kind === 'malformed') return failNonStreaming(ex, ending.kind);
    if (ending?.kind === 'failed' || ending?.kind === 'error') return sendError(ex.res, serverError(ending.code, ending.message));
    if (ending?.kind === 'incomplete') return sendJson(ex.res, 200, incomplete(ending.reason));
    ex.storeResponse?.(respId, finalOutput());
    return sendJson(ex.res, 200, responseObject(ex, respId, createdAt, 'completed', finalOutput(), usage));
  }

  startSse(ex.res);
  let seq = 0;
  const emit = async (type: string, data: Json): Promise<void> => {
    if (ex.closed()) return;
    await writeAsync(ex.res, `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  };
  const inProgress = responseObject(ex, respId, createdAt, 'in_progress', [], null);
  await emit('response.created', { response: inProgress });
  await emit('response.in_progress', { response: inProgress });

  /** The events that end a response cut short, once its deltas are out. */
  const endShort = async (loc: Json): Promise<void> => {
    switch (ending?.kind) {
      case 'break':
        return breakConnection(ex);
      case 'malformed':
        // Deliberately truncated JSON: the client must fail to parse this data line.
        await writeAsync(ex.res, `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"oops\n\n`);
        break;
      case 'failed':
        await emit('response.failed', { response: responseObject(ex, respId, createdAt, 'failed', [], null, { error: { code: ending.code, message: ending.message } }) });
        break;
      case 'error':
        await emit('error', { code: ending.code, message: ending.message, param: null });
        break;
      case 'incomplete': {
        const partial = sentText(plan);
        await emit('response.output_text.done', { ...loc, text: partial, logprobs: [] });
        await emit('response.content_part.done', { ...loc, part: outputTextPart(partial) });
        await emit('response.output_item.done', { output_index: 0, item: messageItem(msgId, partial, 'incomplete') });
        await emit('response.incomplete', { response: incomplete(ending.reason) });
        break;
      }
    }
    if (!ex.closed()) ex.res.end();
  };

  let outputIndex = 0;
  if (plan.reasoning) {
    // A reasoning item with one summary part, streamed before the answer.
    const loc = { item_id: rsId, output_index: outputIndex, summary_index: 0 };
    await emit('response.output_item.added', { output_index: outputIndex, item: reasoningItem(rsId, undefined) });
    await emit('response.reasoning_summary_part.added', { ...loc, part: { type: 'summary_text', text: '' } });
    for (const delta of splitIntoChunks(plan.reasoning)) await emit('response.reasoning_summary_text.delta', { ...loc, delta });
    await emit('response.reasoning_summary_text.done', { ...loc, text: plan.reasoning });
    await emit('response.reasoning_summary_part.done', { ...loc, part: { type: 'summary_text', text: plan.reasoning } });
    await emit('response.output_item.done', { output_index: outputIndex, item: reasoningItem(rsId, plan.reasoning) });
    outputIndex++;
  }
  if (plan.text !== undefined) {
    const loc = { item_id: msgId, output_index: outputIndex, content_index: 0 };
    await emit('response.output_item.added', { output_index: outputIndex, item: messageItem(msgId, '', 'in_progress') });
    await emit('response.content_part.added', { ...loc, part: outputTextPart('') });
    if (!(await streamChunks(ex, plan, (delta) => emit('response.output_text.delta', { ...loc, delta, logprobs: [] })))) return;
    if (ending) return endShort(loc);
    await emit('response.output_text.done', { ...loc, text: plan.text, logprobs: [] });
    await emit('response.content_part.done', { ...loc, part: outputTextPart(plan.text) });
    await emit('response.output_item.done', { output_index: outputIndex, item: messageItem(msgId, plan.text, 'completed') });
    outputIndex++;
  } else if (ending) {
    return endShort({});
  }

  for (const [i, call] of plan.calls.entries()) {
    const itemId = fcIds[i] ?? '';
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
    await emit('response.output_item.added', { output_index: outputIndex, item: functionCallItem(itemId, call, 'in_progress') });
    for (const piece of splitIntoChunks(call.arguments, 24)) {
      await emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta: piece });
    }
    await emit('response.function_call_arguments.done', { item_id: itemId, name: call.name, output_index: outputIndex, arguments: call.arguments });
    await emit('response.output_item.done', { output_index: outputIndex, item: functionCallItem(itemId, call, 'completed') });
    outputIndex++;
  }

  ex.storeResponse?.(respId, finalOutput());
  await emit('response.completed', { response: responseObject(ex, respId, createdAt, 'completed', finalOutput(), usage) });
  if (!ex.closed()) ex.res.end();
}
