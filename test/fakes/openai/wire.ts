/**
 * What both reply writers share: the plan of a scripted answer, the exchange it is written to,
 * JSON and SSE plumbing, and the ways a stream goes wrong (a reset connection, a broken chunk).
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from './normalize.ts';
import type { FakeRequest, OpenAIErrorBody } from './types.ts';

export interface ResolvedCall {
  callId: string;
  name: string;
  arguments: string;
}

/** How an answer ends short of completing. */
export type Ending =
  | { kind: 'break' }
  | { kind: 'malformed' }
  | { kind: 'incomplete'; reason: 'max_output_tokens' | 'content_filter' }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'error'; code: string; message: string };

/** Plan of what a scripted reply produces, independent of API shape. */
export interface Plan {
  text: string | undefined;
  /**
   * What the model shows of its reasoning before it answers: a reasoning item's summary on
   * Responses, `reasoning_content` deltas on Chat Completions (as DeepSeek-style servers send).
   */
  reasoning?: string;
  chunks: string[];
  calls: ResolvedCall[];
  usage: { input: number; output: number };
  chunkDelayMs: number;
  /** Ends the answer this way after this many text deltas, instead of completing it. */
  cutShort?: { afterChunks: number; ending: Ending };
}

/** Everything a reply writer needs about one in-flight exchange. */
export interface Exchange {
  req: FakeRequest;
  body: Json;
  res: ServerResponse;
  /** True once the connection is gone; stream writers stop early. */
  closed: () => boolean;
  /** Marks that the fake itself killed the socket, so it is not counted as a client abort. */
  markServerDestroyed: () => void;
  /** Keeps a completed Responses answer for `previous_response_id`. */
  storeResponse?: (id: string, output: Json[]) => void;
}

export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Rough token estimate (≈4 chars per token), so usage numbers are plausible and non-zero. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-request-id': newId('req_'),
    ...headers,
  });
  res.end(payload);
}

/** OpenAI's error envelope. */
export function errorEnvelope(error: Omit<OpenAIErrorBody, 'status'>): Json {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

export function sendError(res: ServerResponse, error: OpenAIErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, errorEnvelope(error), headers);
}

export function writeAsync(res: ServerResponse, data: string): Promise<void> {
  return new Promise<void>((resolve) => {
    res.write(data, () => resolve());
  });
}

export function startSse(res: ServerResponse): void {
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
export async function breakConnection(ex: Exchange): Promise<void> {
  // Callers awaited their writes' callbacks; the pause lets the client consume them before the reset.
  await sleep(10);
  ex.markServerDestroyed();
  ex.res.socket?.destroy();
}

/** Text deltas of the plan, paced, stopping where it is cut short; false when the client left. */
export async function streamChunks(ex: Exchange, plan: Plan, emit: (chunk: string) => Promise<void>): Promise<boolean> {
  let sent = 0;
  for (const chunk of plan.chunks) {
    if (plan.cutShort && sent >= plan.cutShort.afterChunks) break;
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
    if (ex.closed()) return false;
    await emit(chunk);
    sent++;
  }
  return true;
}

/** The text the deltas carried when the answer is cut short. */
export function sentText(plan: Plan): string {
  return plan.cutShort ? plan.chunks.slice(0, plan.cutShort.afterChunks).join('') : (plan.text ?? '');
}

/** A failure as a request that does not stream gets it: an HTTP 500. */
export function serverError(code: string, message: string): OpenAIErrorBody {
  return { status: 500, message, type: 'server_error', param: null, code };
}

/** Non-streaming variants of the stream failures: a truncated body (then reset) or an unparsable body. */
export async function failNonStreaming(ex: Exchange, mode: 'break' | 'malformed'): Promise<void> {
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
