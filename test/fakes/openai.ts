/**
 * Loopback fake of the OpenAI HTTP API (Responses + Chat Completions) for integration tests.
 *
 * It speaks the real wire formats (JSON bodies, SSE event sequences, error envelopes) closely enough
 * that the unmodified `openai` npm client talks to it, and it can script failures a real server
 * produces: HTTP errors, connection resets mid-stream, malformed SSE data and requests that never answer.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export type FakeApi = 'responses' | 'chat';

export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown>;
  callId?: string;
}

export interface FakeMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: { callId: string; name: string; arguments: string }[];
  toolCallId?: string;
}

export interface FakeRequest {
  api: FakeApi;
  model: string;
  stream: boolean;
  /** All system/developer text joined with '\n' (Responses: `instructions` + system/developer input items). */
  system: string;
  /** Normalized conversation; Responses function_call / function_call_output items become assistant toolCalls / tool messages. */
  messages: FakeMessage[];
  /** Text of the last user message ('' if none). */
  lastUserText: string;
  /** Names of the function tools offered. */
  toolNames: string[];
  /** Every tool result present in the request, in order. */
  toolResults: { callId: string; output: string }[];
  /** Raw parsed JSON body. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** 0-based order of this request at the fake (since the last reset), i.e. its position in `requests`. */
  index: number;
}

export type FakeReply =
  | { kind: 'text'; text: string; chunks?: string[]; chunkDelayMs?: number; delayMs?: number; usage?: { input: number; output: number } }
  | { kind: 'tool_calls'; calls: FakeToolCall[]; text?: string; delayMs?: number }
  | { kind: 'error'; status: number; message: string; type?: string; code?: string; headers?: Record<string, string> }
  | { kind: 'break_stream'; text: string; afterChunks: number }
  | { kind: 'malformed_chunk'; text: string; afterChunks: number }
  | { kind: 'hang' };

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL to pass as the OpenAI client's `baseURL`, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Every request received, including ones answered with errors. */
  requests: FakeRequest[];
  /** Requests whose client disconnected before the reply finished (observes client-side abort/cancel). */
  aborted: number;
  setHandler(handler: FakeHandler): void;
  /** FIFO replies used before the handler. */
  enqueue(...replies: FakeReply[]): void;
  count(predicate?: (r: FakeRequest) => boolean): number;
  /** Clears requests, queue and `aborted`; keeps the handler. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  port?: number;
  /** Delay between stream chunks when a reply does not set `chunkDelayMs`. */
  defaultChunkDelayMs?: number;
}

/** Splits text into word-ish chunks (each ending after its trailing whitespace), or fixed-size pieces when `size` is given. */
export function splitIntoChunks(text: string, size?: number): string[] {
  if (text === '') return [];
  if (size !== undefined && size > 0) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

// ---------------------------------------------------------------------------------------------
// Request normalisation
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Flattens string or content-part-array content (input_text, output_text, text, refusal) to plain text. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part)) {
      if (typeof part['text'] === 'string') parts.push(part['text']);
      else if (typeof part['refusal'] === 'string') parts.push(part['refusal']);
    }
  }
  return parts.join('\n');
}

const ROLES = new Set<FakeMessage['role']>(['system', 'developer', 'user', 'assistant', 'tool']);

function asRole(value: unknown): FakeMessage['role'] | undefined {
  return typeof value === 'string' && ROLES.has(value as FakeMessage['role']) ? (value as FakeMessage['role']) : undefined;
}

interface Normalized {
  system: string;
  messages: FakeMessage[];
  toolNames: string[];
  toolResults: { callId: string; output: string }[];
}

function normalizeResponses(body: Json): Normalized {
  const systemParts: string[] = [];
  const messages: FakeMessage[] = [];
  const toolResults: { callId: string; output: string }[] = [];
  const instructions = contentText(body['instructions']);
  if (instructions) systemParts.push(instructions);

  const input = body['input'];
  const items: unknown[] = typeof input === 'string' ? [{ role: 'user', content: input }] : Array.isArray(input) ? input : [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = item['type'];
    if (type === 'function_call') {
      const call = { callId: str(item['call_id']), name: str(item['name']), arguments: str(item['arguments']) };
      // Parallel calls (and a preceding assistant message) form one assistant turn, as in Chat Completions.
      const last = messages[messages.length - 1];
      if (last && last.role === 'assistant') (last.toolCalls ??= []).push(call);
      else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
    } else if (type === 'function_call_output') {
      const result = { callId: str(item['call_id']), output: contentText(item['output']) };
      toolResults.push(result);
      messages.push({ role: 'tool', content: result.output, toolCallId: result.callId });
    } else if (type === undefined || type === 'message') {
      const role = asRole(item['role']);
      if (!role) continue;
      const content = contentText(item['content']);
      if (role === 'system' || role === 'developer') systemParts.push(content);
      messages.push({ role, content });
    }
    // Other item types (reasoning, item_reference, …) carry no text the fake needs.
  }

  const toolNames: string[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (isObject(tool) && tool['type'] === 'function' && typeof tool['name'] === 'string') toolNames.push(tool['name']);
    }
  }
  return { system: systemParts.join('\n'), messages, toolNames, toolResults };
}

function normalizeChat(body: Json): Normalized {
  const systemParts: string[] = [];
  const messages: FakeMessage[] = [];
  const toolResults: { callId: string; output: string }[] = [];
  const raw = body['messages'];
  for (const msg of Array.isArray(raw) ? raw : []) {
    if (!isObject(msg)) continue;
    const role = asRole(msg['role']);
    if (!role) continue;
    const content = contentText(msg['content']);
    const message: FakeMessage = { role, content };
    if (role === 'system' || role === 'developer') systemParts.push(content);
    if (role === 'assistant' && Array.isArray(msg['tool_calls'])) {
      message.toolCalls = msg['tool_calls'].filter(isObject).map((call) => {
        const fn = isObject(call['function']) ? call['function'] : {};
        return { callId: str(call['id']), name: str(fn['name']), arguments: str(fn['arguments']) };
      });
    }
    if (role === 'tool') {
      message.toolCallId = str(msg['tool_call_id']);
      toolResults.push({ callId: message.toolCallId, output: content });
    }
    messages.push(message);
  }

  const toolNames: string[] = [];
  const tools = body['tools'];
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (isObject(tool) && tool['type'] === 'function' && isObject(tool['function']) && typeof tool['function']['name'] === 'string') {
        toolNames.push(tool['function']['name']);
      }
    }
  }
  return { system: systemParts.join('\n'), messages, toolNames, toolResults };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Rough token estimate (≈4 chars per token), so usage numbers are plausible and non-zero. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

interface ResolvedCall {
  callId: string;
  name: string;
  arguments: string;
}

/** Everything a reply writer needs about one in-flight exchange. */
interface Exchange {
  req: FakeRequest;
  body: Json;
  res: ServerResponse;
  /** True once the connection is gone; stream writers stop early. */
  closed: () => boolean;
  /** Marks that the fake itself killed the socket, so it is not counted as a client abort. */
  markServerDestroyed: () => void;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': newId('req_'),
    ...headers,
  });
  res.end(payload);
}

function errorBody(message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null): Json {
  return { error: { message, type, param, code } };
}

function writeAsync(res: ServerResponse, data: string): Promise<void> {
  return new Promise<void>((resolve) => {
    res.write(data, () => resolve());
  });
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': newId('req_'),
  });
  // Send headers now so the client's `create()` resolves before the first delta (matters for slow streams).
  res.flushHeaders();
}

/** Destroys the connection after the already-written bytes reached the client, simulating a reset mid-stream. */
async function breakConnection(ex: Exchange): Promise<void> {
  // Callers awaited their writes' callbacks; the pause lets the client consume them before the reset.
  await sleep(10);
  ex.markServerDestroyed();
  ex.res.socket?.destroy();
}

/** Plan of what a scripted reply produces, independent of API shape. */
interface Plan {
  text: string | undefined;
  chunks: string[];
  calls: ResolvedCall[];
  usage: { input: number; output: number };
  chunkDelayMs: number;
  /** Stop after this many text deltas and fail the stream ('break' or 'malformed'). */
  failAfter?: { chunks: number; mode: 'break' | 'malformed' };
}

function inputTokens(req: FakeRequest): number {
  return estimateTokens(req.system + req.messages.map((m) => m.content).join(''));
}

// ---- Responses API ----------------------------------------------------------------------------

function responseObject(ex: Exchange, id: string, createdAt: number, status: 'in_progress' | 'completed', output: Json[], usage: Json | null): Json {
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

function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): Json {
  return {
    id,
    type: 'message',
    status,
    content: status === 'completed' ? [outputTextPart(text)] : [],
    role: 'assistant',
  };
}

function outputTextPart(text: string): Json {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function functionCallItem(id: string, call: ResolvedCall, status: 'in_progress' | 'completed'): Json {
  return {
    id,
    type: 'function_call',
    status,
    arguments: status === 'completed' ? call.arguments : '',
    call_id: call.callId,
    name: call.name,
  };
}

function finalResponsesOutput(plan: Plan, msgId: string, fcIds: string[]): Json[] {
  const output: Json[] = [];
  if (plan.text !== undefined) output.push(messageItem(msgId, plan.text, 'completed'));
  plan.calls.forEach((call, i) => output.push(functionCallItem(fcIds[i] ?? '', call, 'completed')));
  return output;
}

async function replyResponses(ex: Exchange, plan: Plan): Promise<void> {
  const respId = newId('resp_');
  const msgId = newId('msg_');
  const fcIds = plan.calls.map(() => newId('fc_'));
  const createdAt = Math.floor(Date.now() / 1000);
  const usage = responsesUsage(plan.usage);

  if (!ex.req.stream) {
    if (plan.failAfter) {
      await failNonStreaming(ex, plan.failAfter.mode);
      return;
    }
    sendJson(ex.res, 200, responseObject(ex, respId, createdAt, 'completed', finalResponsesOutput(plan, msgId, fcIds), usage));
    return;
  }

  startSse(ex.res);
  let seq = 0;
  const emit = async (type: string, data: Json): Promise<void> => {
    if (ex.closed()) return;
    await writeAsync(ex.res, `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  };
  const pause = async (): Promise<void> => {
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
  };

  const inProgress = responseObject(ex, respId, createdAt, 'in_progress', [], null);
  await emit('response.created', { response: inProgress });
  await emit('response.in_progress', { response: inProgress });

  let outputIndex = 0;
  if (plan.text !== undefined) {
    const loc = { item_id: msgId, output_index: outputIndex, content_index: 0 };
    await emit('response.output_item.added', { output_index: outputIndex, item: messageItem(msgId, '', 'in_progress') });
    await emit('response.content_part.added', { ...loc, part: outputTextPart('') });
    let sent = 0;
    for (const chunk of plan.chunks) {
      if (plan.failAfter && sent >= plan.failAfter.chunks) break;
      await pause();
      if (ex.closed()) return;
      await emit('response.output_text.delta', { ...loc, delta: chunk, logprobs: [] });
      sent++;
    }
    if (plan.failAfter) {
      if (plan.failAfter.mode === 'break') {
        await breakConnection(ex);
        return;
      }
      await pause();
      // Deliberately truncated JSON: the client must fail to parse this data line.
      await writeAsync(ex.res, `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"oops\n\n`);
      ex.res.end();
      return;
    }
    await emit('response.output_text.done', { ...loc, text: plan.text, logprobs: [] });
    await emit('response.content_part.done', { ...loc, part: outputTextPart(plan.text) });
    await emit('response.output_item.done', { output_index: outputIndex, item: messageItem(msgId, plan.text, 'completed') });
    outputIndex++;
  }

  for (const [i, call] of plan.calls.entries()) {
    const itemId = fcIds[i] ?? '';
    await pause();
    await emit('response.output_item.added', { output_index: outputIndex, item: functionCallItem(itemId, call, 'in_progress') });
    for (const piece of splitIntoChunks(call.arguments, 24)) {
      await emit('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta: piece });
    }
    await emit('response.function_call_arguments.done', { item_id: itemId, name: call.name, output_index: outputIndex, arguments: call.arguments });
    await emit('response.output_item.done', { output_index: outputIndex, item: functionCallItem(itemId, call, 'completed') });
    outputIndex++;
  }

  await emit('response.completed', {
    response: responseObject(ex, respId, createdAt, 'completed', finalResponsesOutput(plan, msgId, fcIds), usage),
  });
  if (!ex.closed()) ex.res.end();
}

// ---- Chat Completions API --------------------------------------------------------------------

function chatUsage(usage: { input: number; output: number }): Json {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

async function replyChat(ex: Exchange, plan: Plan): Promise<void> {
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const finishReason = plan.calls.length > 0 ? 'tool_calls' : 'stop';
  const base = { id, created, model: ex.req.model, service_tier: 'default', system_fingerprint: 'fp_fake' };

  if (!ex.req.stream) {
    if (plan.failAfter) {
      await failNonStreaming(ex, plan.failAfter.mode);
      return;
    }
    const message: Json = { role: 'assistant', content: plan.text ?? null, refusal: null, annotations: [] };
    if (plan.calls.length > 0) {
      message['tool_calls'] = plan.calls.map((c) => ({ id: c.callId, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    sendJson(ex.res, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage: chatUsage(plan.usage),
    });
    return;
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
  const pause = async (): Promise<void> => {
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
  };

  await emit({ role: 'assistant', content: plan.text === undefined ? null : '', refusal: null });
  let sent = 0;
  for (const chunk of plan.chunks) {
    if (plan.failAfter && sent >= plan.failAfter.chunks) break;
    await pause();
    if (ex.closed()) return;
    await emit({ content: chunk });
    sent++;
  }
  if (plan.failAfter) {
    if (plan.failAfter.mode === 'break') {
      await breakConnection(ex);
      return;
    }
    await pause();
    await writeAsync(ex.res, `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"delta":{"content":"oops\n\n`);
    ex.res.end();
    return;
  }

  for (const [index, call] of plan.calls.entries()) {
    await pause();
    await emit({ tool_calls: [{ index, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const piece of splitIntoChunks(call.arguments, 24)) {
      await emit({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  }
  await emit({}, finishReason);
  if (includeUsage && !ex.closed()) {
    await writeAsync(ex.res, `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: chatUsage(plan.usage) })}\n\n`);
  }
  if (ex.closed()) return;
  await writeAsync(ex.res, 'data: [DONE]\n\n');
  ex.res.end();
}

/** Non-streaming variants of the stream failures: a truncated body (then reset) or an unparsable body. */
async function failNonStreaming(ex: Exchange, mode: 'break' | 'malformed'): Promise<void> {
  if (mode === 'malformed') {
    const payload = '{"id":"broken","object":';
    ex.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    ex.res.end(payload);
    return;
  }
  ex.res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
  await writeAsync(ex.res, '{"id":"partial","object":');
  await breakConnection(ex);
}

// ---- Dispatch ----------------------------------------------------------------------------------

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const queue: FakeReply[] = [];
  let handler: FakeHandler | undefined;
  let callCounter = 0;
  const state = { aborted: 0 };

  const resolveCalls = (calls: FakeToolCall[]): ResolvedCall[] =>
    // Ids are unique for the fake's lifetime (not reset) so conversations spanning a reset() never collide.
    calls.map((c) => ({ callId: c.callId ?? `call_${++callCounter}`, name: c.name, arguments: JSON.stringify(c.arguments) }));

  const planFor = (reply: Exclude<FakeReply, { kind: 'error' } | { kind: 'hang' }>, req: FakeRequest): Plan => {
    const input = inputTokens(req);
    const chunkDelayMs = (reply.kind === 'text' ? reply.chunkDelayMs : undefined) ?? options.defaultChunkDelayMs ?? 0;
    switch (reply.kind) {
      case 'text': {
        const chunks = reply.chunks ?? splitIntoChunks(reply.text);
        return { text: reply.text, chunks, calls: [], usage: reply.usage ?? { input, output: estimateTokens(reply.text) }, chunkDelayMs };
      }
      case 'tool_calls': {
        const calls = resolveCalls(reply.calls);
        const text = reply.text;
        const outputText = (text ?? '') + calls.map((c) => c.name + c.arguments).join('');
        return { text, chunks: text ? splitIntoChunks(text) : [], calls, usage: { input, output: estimateTokens(outputText) }, chunkDelayMs };
      }
      case 'break_stream':
      case 'malformed_chunk':
        return {
          text: reply.text,
          chunks: splitIntoChunks(reply.text),
          calls: [],
          usage: { input, output: estimateTokens(reply.text) },
          chunkDelayMs,
          failAfter: { chunks: reply.afterChunks, mode: reply.kind === 'break_stream' ? 'break' : 'malformed' },
        };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');

    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-fake', object: 'model', created: 1_700_000_000, owned_by: 'fake-openai' }] });
      return;
    }
    const api: FakeApi | undefined =
      req.method === 'POST' && path === '/v1/responses' ? 'responses' : req.method === 'POST' && path === '/v1/chat/completions' ? 'chat' : undefined;
    if (!api) {
      req.resume();
      sendJson(res, 404, errorBody(`Invalid URL (${req.method ?? 'GET'} ${url.pathname})`, 'invalid_request_error'));
      return;
    }

    const raw: Buffer[] = [];
    for await (const chunk of req) raw.push(chunk as Buffer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(raw).toString('utf8'));
    } catch {
      sendJson(res, 400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'));
      return;
    }
    const body: Json = isObject(parsed) ? parsed : {};
    const normalized = api === 'responses' ? normalizeResponses(body) : normalizeChat(body);
    const lastUser = [...normalized.messages].reverse().find((m) => m.role === 'user');
    const fakeReq: FakeRequest = {
      api,
      model: str(body['model']),
      stream: body['stream'] === true,
      system: normalized.system,
      messages: normalized.messages,
      lastUserText: lastUser?.content ?? '',
      toolNames: normalized.toolNames,
      toolResults: normalized.toolResults,
      body: parsed,
      headers: req.headers,
      index: requests.length,
    };
    // Recorded before replying so tests can inspect requests that error, hang or get aborted.
    requests.push(fakeReq);

    let closed = false;
    let serverDestroyed = false;
    res.on('close', () => {
      closed = true;
      // Connection gone before we ended the reply, and not by our own hand: the client aborted.
      if (!res.writableEnded && !serverDestroyed) state.aborted++;
    });
    const ex: Exchange = {
      req: fakeReq,
      body,
      res,
      closed: () => closed,
      markServerDestroyed: () => {
        serverDestroyed = true;
      },
    };

    let reply: FakeReply;
    try {
      const queued = queue.shift();
      if (queued) reply = queued;
      else if (handler) reply = await handler(fakeReq);
      else reply = { kind: 'error', status: 500, message: `fake OpenAI has no script for request #${fakeReq.index} (${api}): enqueue a reply or set a handler`, type: 'server_error' };
    } catch (err) {
      reply = { kind: 'error', status: 500, message: `fake OpenAI handler threw: ${err instanceof Error ? err.message : String(err)}`, type: 'server_error' };
    }

    if (reply.kind === 'hang') return; // Never answer; the 'close' listener counts the client's abort.
    if (reply.kind === 'error') {
      sendJson(res, reply.status, errorBody(reply.message, reply.type ?? defaultErrorType(reply.status), reply.code ?? null), reply.headers);
      return;
    }
    if ((reply.kind === 'text' || reply.kind === 'tool_calls') && reply.delayMs) {
      await sleep(reply.delayMs);
      if (closed) return;
    }
    const plan = planFor(reply, fakeReq);
    if (api === 'responses') await replyResponses(ex, plan);
    else await replyChat(ex, plan);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake should show up as a 500, not a hung test.
      if (!res.headersSent) sendJson(res, 500, errorBody(`fake OpenAI crashed: ${String(err)}`, 'server_error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const fake: FakeOpenAI = {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get aborted() {
      return state.aborted;
    },
    set aborted(value: number) {
      state.aborted = value;
    },
    setHandler(next) {
      handler = next;
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    count(predicate) {
      return predicate ? requests.filter(predicate).length : requests.length;
    },
    reset() {
      // Mutate in place: callers may hold a reference to `requests`.
      requests.length = 0;
      queue.length = 0;
      state.aborted = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        // Hanging and keep-alive connections would otherwise keep close() pending forever.
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  return fake;
}

function defaultErrorType(status: number): string {
  if (status === 401) return 'invalid_request_error';
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
