/** A scripted answer as Chat Completions sends it: one completion, or its chunk stream. */
import { setTimeout as sleep } from 'node:timers/promises';
import { isObject } from './normalize.ts';
import type { Json } from './normalize.ts';
import { breakConnection, errorEnvelope, failNonStreaming, newId, sendError, sendJson, sentText, serverError, splitIntoChunks, startSse, streamChunks, writeAsync } from './wire.ts';
import type { Exchange, Plan } from './wire.ts';

function chatUsage(usage: { input: number; output: number }): Json {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** Why the model stopped, in Chat's words. */
function finishReason(plan: Plan): string {
  const ending = plan.cutShort?.ending;
  if (ending?.kind === 'incomplete') return ending.reason === 'max_output_tokens' ? 'length' : 'content_filter';
  return plan.calls.length > 0 ? 'tool_calls' : 'stop';
}

export async function replyChat(ex: Exchange, plan: Plan): Promise<void> {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const base = { id, created, model: ex.req.model, service_tier: 'default', system_fingerprint: 'fp_fake' };
  const ending = plan.cutShort?.ending;
  // Chat has no event for a response that failed after it began: it answers like a server error.
  if (ending?.kind === 'failed' || (ending?.kind === 'error' && !ex.req.stream)) return sendError(ex.res, serverError(ending.code, ending.message));

  if (!ex.req.stream) {
    if (ending?.kind === 'break' || ending?.kind === 'malformed') return failNonStreaming(ex, ending.kind);
    const message: Json = { role: 'assistant', content: plan.text === undefined ? null : sentText(plan), refusal: null, annotations: [] };
    if (plan.reasoning) message['reasoning_content'] = plan.reasoning;
    if (plan.calls.length > 0) {
      message['tool_calls'] = plan.calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    return sendJson(ex.res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(plan) }],
      usage: chatUsage(plan.usage),
    });
  }

  const streamOptions = ex.body['stream_options'];
  const includeUsage = isObject(streamOptions) && streamOptions['include_usage'] === true;
  startSse(ex.res);
  const emit = async (delta: Json, finish: string | null = null): Promise<void> => {
    if (ex.closed()) return;
    const chunk: Json = { ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
    // With include_usage the real API puts `usage: null` on every chunk but the last.
    if (includeUsage) chunk['usage'] = null;
    await writeAsync(ex.res, `data: ${JSON.stringify(chunk)}\n\n`);
  };

  await emit({ role: 'assistant', content: plan.text === undefined ? null : '', refusal: null });
  // The reasoning streams first, in a field of its own, with no answer text beside it.
  for (const piece of splitIntoChunks(plan.reasoning ?? '')) await emit({ content: null, reasoning_content: piece });
  if (!(await streamChunks(ex, plan, (content) => emit({ content })))) return;
  switch (ending?.kind) {
    case 'break':
      return breakConnection(ex);
    case 'malformed':
      await writeAsync(ex.res, `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"delta":{"content":"oops\n\n`);
      return void ex.res.end();
    case 'error':
      // How the API reports an error once the stream has begun.
      await writeAsync(ex.res, `data: ${JSON.stringify(errorEnvelope({ message: ending.message, type: 'server_error', param: null, code: ending.code }))}\n\n`);
      return void ex.res.end();
  }

  for (const [index, call] of plan.calls.entries()) {
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
    await emit({ tool_calls: [{ index, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const piece of splitIntoChunks(call.arguments, 24)) {
      await emit({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  }
  await emit({}, finishReason(plan));
  if (includeUsage && !ex.closed()) {
    await writeAsync(ex.res, `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: chatUsage(plan.usage) })}\n\n`);
  }
  if (ex.closed()) return;
  await writeAsync(ex.res, 'data: [DONE]\n\n');
  ex.res.end();
}
