/**
 * Loopback fake of the OpenAI HTTP API (Responses + Chat Completions) for integration tests.
 *
 * It speaks the real wire formats (JSON bodies, SSE event sequences, error envelopes) closely enough
 * that the unmodified `openai` npm client talks to it, and it is as strict as the real API: a
 * request without a `Bearer` key, with a malformed body, or with tool calls and results that do
 * not pair up is refused with OpenAI's own error (see ./openai/validate-*.ts) and never reaches
 * the script. It can script what a real server does wrong: HTTP errors, connection resets
 * mid-stream, malformed SSE data, answers cut short, failed responses and requests that never answer.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidRequest, checkAuthorization, parseBody } from './openai/invalid-request.ts';
import { normalizeChat, normalizeResponses, str } from './openai/normalize.ts';
import type { Json } from './openai/normalize.ts';
import { replyChat } from './openai/chat-reply.ts';
import { replyResponses } from './openai/responses-reply.ts';
import { StoredResponses } from './openai/stored-responses.ts';
import type { FakeApi, FakeHandler, FakeOpenAI, FakeOpenAIOptions, FakeReply, FakeRequest, FakeToolCall, OpenAIErrorBody } from './openai/types.ts';
import { validateChatRequest } from './openai/validate-chat.ts';
import { validateResponsesRequest } from './openai/validate-responses.ts';
import { estimateTokens, sendError, sendJson, splitIntoChunks } from './openai/wire.ts';
import type { Ending, Exchange, Plan, ResolvedCall } from './openai/wire.ts';

export type { FakeApi, FakeHandler, FakeMessage, FakeOpenAI, FakeOpenAIOptions, FakeReply, FakeRequest, FakeToolCall, OpenAIErrorBody } from './openai/types.ts';
export { splitIntoChunks };

const ROUTES: Record<string, FakeApi> = { '/v1/responses': 'responses', '/v1/chat/completions': 'chat' };

function errorOf(status: number, message: string, type?: string, code?: string): OpenAIErrorBody {
  const fallbackType = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, message, type: type ?? fallbackType, param: null, code: code ?? null };
}

/** The stream-ending replies, as the ending of a plan. */
function endingOf(reply: FakeReply): Ending | undefined {
  switch (reply.kind) {
    case 'break_stream':
      return { kind: 'break' };
    case 'malformed_chunk':
      return { kind: 'malformed' };
    case 'incomplete':
      return { kind: 'incomplete', reason: reply.reason };
    case 'response_failed':
      return { kind: 'failed', code: reply.code, message: reply.message };
    case 'stream_error':
      return { kind: 'error', code: reply.code, message: reply.message };
    default:
      return undefined;
  }
}

function expandedOrUndefined(stored: StoredResponses, parsed: unknown): Json | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  try {
    return stored.expand(parsed as Json);
  } catch {
    return undefined; // Refused below, with OpenAI's error.
  }
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const queue: FakeReply[] = [];
  let handler: FakeHandler | undefined;
  let callCounter = 0;
  const state = { aborted: 0 };
  const stored = new StoredResponses();

  const resolveCalls = (calls: FakeToolCall[]): ResolvedCall[] =>
    // Ids are unique for the fake's lifetime (not reset) so conversations spanning a reset() never collide.
    calls.map((c) => ({ callId: c.callId ?? `call_${++callCounter}`, name: c.name, arguments: JSON.stringify(c.arguments) }));

  const planFor = (reply: Exclude<FakeReply, { kind: 'error' } | { kind: 'hang' }>, req: FakeRequest): Plan => {
    const input = estimateTokens(req.system + req.messages.map((m) => m.content).join(''));
    const chunkDelayMs = (reply.kind === 'text' ? reply.chunkDelayMs : undefined) ?? options.defaultChunkDelayMs ?? 0;
    const reasoning = reply.kind === 'text' || reply.kind === 'tool_calls' ? reply.reasoning : undefined;
    if (reply.kind === 'tool_calls') {
      const calls = resolveCalls(reply.calls);
      const outputText = (reply.text ?? '') + calls.map((c) => c.name + c.arguments).join('');
      return { text: reply.text, chunks: reply.text ? splitIntoChunks(reply.text) : [], calls, usage: { input, output: estimateTokens(outputText) }, chunkDelayMs, ...(reasoning ? { reasoning } : {}) };
    }
    const text = reply.text;
    const chunks = (reply.kind === 'text' ? reply.chunks : undefined) ?? splitIntoChunks(text ?? '');
    const usage = (reply.kind === 'text' ? reply.usage : undefined) ?? { input, output: estimateTokens(text ?? '') };
    const ending = endingOf(reply);
    const afterChunks = reply.kind === 'text' ? chunks.length : (reply.afterChunks ?? chunks.length);
    return { text, chunks, calls: [], usage, chunkDelayMs, ...(reasoning ? { reasoning } : {}), ...(ending ? { cutShort: { afterChunks, ending } } : {}) };
  };

  /** The script's reply for a valid request: the queue first, then the handler. */
  const scripted = async (req: FakeRequest): Promise<FakeReply> => {
    try {
      const queued = queue.shift();
      if (queued) return queued;
      if (handler) return await handler(req);
      return { kind: 'error', status: 500, message: `fake OpenAI has no script for request #${req.index} (${req.api}): enqueue a reply or set a handler`, type: 'server_error' };
    } catch (err) {
      return { kind: 'error', status: 500, message: `fake OpenAI handler threw: ${err instanceof Error ? err.message : String(err)}`, type: 'server_error' };
    }
  };

  /** `conversation`: the body as the API reads it (Responses: after `previous_response_id`), when it differs from what was sent. */
  const record = (api: FakeApi, path: string, parsed: unknown, req: IncomingMessage, conversation?: Json): FakeRequest => {
    const body: Json = conversation ?? (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {});
    const normalized = api === 'responses' ? normalizeResponses(body) : normalizeChat(body);
    const lastUser = [...normalized.messages].reverse().find((m) => m.role === 'user');
    const fakeReq: FakeRequest = {
      api,
      path,
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
    // Recorded before replying so tests can inspect requests that are refused, error, hang or get aborted.
    requests.push(fakeReq);
    return fakeReq;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-fake', object: 'model', created: 1_700_000_000, owned_by: 'fake-openai' }] });
    }
    const api = req.method === 'POST' ? ROUTES[path] : undefined;
    if (!api) {
      req.resume();
      return sendError(res, errorOf(404, `Invalid URL (${req.method ?? 'GET'} ${url.pathname})`));
    }

    const raw: Buffer[] = [];
    for await (const chunk of req) raw.push(chunk as Buffer);
    const text = Buffer.concat(raw).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    // Scripts see a continued response's whole conversation, as the model does.
    const fakeReq = record(api, path, parsed, req, api === 'responses' ? expandedOrUndefined(stored, parsed) : undefined);
    let body: Json;
    try {
      checkAuthorization(req.headers, options.apiKey);
      body = parseBody(text);
      if (api === 'responses') body = stored.expand(body);
      if (api === 'responses') validateResponsesRequest(body);
      else validateChatRequest(body);
    } catch (err) {
      if (!(err instanceof InvalidRequest)) throw err;
      fakeReq.rejected = err.body;
      return sendError(res, err.body);
    }

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
      storeResponse: (id, output) => stored.store(body, id, output),
    };

    const reply = await scripted(fakeReq);
    if (reply.kind === 'hang') return; // Never answer; the 'close' listener counts the client's abort.
    if (reply.kind === 'error') return sendError(res, errorOf(reply.status, reply.message, reply.type, reply.code), reply.headers);
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
      if (!res.headersSent) sendError(res, errorOf(500, `fake OpenAI crashed: ${String(err)}`));
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

  return {
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
}
