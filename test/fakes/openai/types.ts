/** What tests see of the fake OpenAI: the requests it received and the replies they script. */

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

/** OpenAI's error body: `{"error": {message, type, param, code}}`, sent with `status`. */
export interface OpenAIErrorBody {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface FakeRequest {
  api: FakeApi;
  /** The request path, e.g. `/v1/responses`. */
  path: string;
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
  /** Raw parsed JSON body, exactly as sent. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** 0-based order of this request at the fake (since the last reset), i.e. its position in `requests`. */
  index: number;
  /** Set when the fake refused the request as OpenAI would (bad auth, malformed body): what it answered. */
  rejected?: OpenAIErrorBody;
}

/**
 * A scripted answer. Text arrives as stream deltas (`chunks`, default word by word). The endings
 * short of a completed answer stream `afterChunks` deltas of `text` first (default: all of them):
 * - `incomplete`: the model stopped early. Responses: `response.incomplete` with
 *   `incomplete_details.reason`; Chat: `finish_reason` `length` (for `max_output_tokens`) or `content_filter`.
 * - `response_failed`: Responses' `response.failed` event with `response.error` {code, message}.
 * - `stream_error`: an `error` event mid-stream (Chat: a `data: {"error": …}` chunk).
 * Requests that do not stream, and Chat for `response_failed`, get the failure as an HTTP 500.
 */
export type FakeReply =
  | { kind: 'text'; text: string; chunks?: string[]; chunkDelayMs?: number; delayMs?: number; usage?: { input: number; output: number }; reasoning?: string }
  | { kind: 'tool_calls'; calls: FakeToolCall[]; text?: string; delayMs?: number; reasoning?: string }
  | { kind: 'error'; status: number; message: string; type?: string; code?: string; headers?: Record<string, string> }
  | { kind: 'break_stream'; text: string; afterChunks: number }
  | { kind: 'malformed_chunk'; text: string; afterChunks: number }
  | { kind: 'incomplete'; text: string; reason: 'max_output_tokens' | 'content_filter'; afterChunks?: number }
  | { kind: 'response_failed'; code: string; message: string; text?: string; afterChunks?: number }
  | { kind: 'stream_error'; code: string; message: string; text?: string; afterChunks?: number }
  | { kind: 'hang' };

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL to pass as the OpenAI client's `baseURL`, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  /** Every request received, including ones answered with errors or refused as invalid. */
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
  /** The one API key accepted; default: any `Bearer` key. */
  apiKey?: string;
}
