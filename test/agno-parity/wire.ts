/**
 * One server's answers as the comparison reads them: each request the scenario sends, labelled
 * by what it does (the same label on both servers), with its status and its JSON body or SSE
 * events; and each conversation on /workflows/ws, with the frames it got as events.
 */
import WebSocket from 'ws';
import { parseSse } from '../../src/client/sse-parser.ts';
import { collectWithin, waitUntil, withDeadline } from '../support/wait.ts';

export type Json = Record<string, unknown>;

export interface Exchange {
  /** What the request does, e.g. `sync: run`; the key that pairs the two servers' exchanges. */
  label: string;
  method: string;
  path: string;
  status: number;
  /** The JSON body (absent for SSE and empty bodies). */
  body?: unknown;
  /** SSE responses: each frame's `event:` name and its data; WebSocket conversations: each frame's `event` and the frame. */
  events?: { name: string; data: Json }[];
}

export interface RequestOptions {
  form?: Record<string, string>;
  json?: unknown;
  query?: Record<string, string>;
  /** Stop reading an SSE response after this long (a paused run's stream stays open). */
  streamTimeoutMs?: number;
}

/** A server under test: sends requests and keeps every exchange, in order. */
export class Wire {
  readonly exchanges: Exchange[] = [];

  readonly name: string;
  readonly baseUrl: string;

  constructor(name: string, baseUrl: string) {
    this.name = name;
    this.baseUrl = baseUrl;
  }

  async send(label: string, method: string, path: string, options: RequestOptions = {}): Promise<Exchange> {
    const exchange = await this.request(label, method, path, options);
    this.exchanges.push(exchange);
    return exchange;
  }

  /** Sends without keeping the exchange (polls whose count differs between servers). */
  async request(label: string, method: string, path: string, options: RequestOptions = {}): Promise<Exchange> {
    const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
    const init: RequestInit = { method, signal: AbortSignal.timeout(120_000) };
    if (options.form) {
      init.body = new URLSearchParams(options.form);
      init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    } else if (options.json !== undefined) {
      init.body = JSON.stringify(options.json);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(`${this.baseUrl}${path}${query}`, init);
    const exchange: Exchange = { label, method, path, status: response.status };
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      exchange.events = await readEvents(response, `${this.name} ${label}`, options.streamTimeoutMs);
    } else {
      const text = await response.text();
      if (text) exchange.body = parseJson(text);
    }
    return exchange;
  }

  /** Requests until `done` accepts the answer (not kept); then sends it once more, kept, as `label`. */
  async poll(label: string, path: string, query: Record<string, string>, done: (body: Json) => boolean, timeoutMs = 90_000): Promise<Exchange> {
    await waitUntil(
      `${this.name}: ${label} (GET ${path})`,
      async () => {
        const answer = await this.request(label, 'GET', path, { query });
        return answer.status === 200 && done(answer.body as Json);
      },
      { timeoutMs, intervalMs: 250 },
    );
    return this.send(label, 'GET', path, { query });
  }

  /**
   * A conversation on /workflows/ws: connects, sends each message, and reads frames until `done`
   * accepts one (or the deadline). Kept as an exchange `WS /workflows/ws` whose events are the frames.
   */
  async socket(label: string, messages: unknown[], done: (frame: Json) => boolean, timeoutMs = 90_000): Promise<Exchange> {
    const socket = new WebSocket(`${this.baseUrl.replace(/^http/, 'ws')}/workflows/ws`);
    const events: { name: string; data: Json }[] = [];
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    socket.on('message', (data) => {
      const frame = socketFrame(String(data));
      events.push(frame);
      if (done(frame.data)) finish();
    });
    try {
      await withDeadline(`${this.name}: the WebSocket handshake of ${label}`, new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)));
      for (const message of messages) socket.send(JSON.stringify(message));
      await withDeadline(`${this.name}: ${label} (${events.length} frames so far)`, finished, timeoutMs);
    } finally {
      socket.terminate();
    }
    const exchange: Exchange = { label, method: 'WS', path: '/workflows/ws', status: 101, events };
    this.exchanges.push(exchange);
    return exchange;
  }

  exchange(label: string): Exchange | undefined {
    return this.exchanges.find((e) => e.label === label);
  }
}

/**
 * A WebSocket frame as its JSON. AgentOS sends the events of a run on the socket that started it
 * SSE-framed (`event: X` and `data: {...}` in one text frame, its inline door), everything else
 * as flat JSON (as its durable door sends events too, and we do): the comparison reads the JSON.
 */
function socketFrame(text: string): { name: string; data: Json } {
  const parsed = parseJson(/^data: (.*)$/m.exec(text)?.[1] ?? text);
  const data = typeof parsed === 'object' && parsed !== null ? (parsed as Json) : { data: parsed };
  return { name: String(data.event ?? 'message'), data };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Every frame of the stream, up to its end or `untilMs` (then the stream is cut: a paused run's stays open). */
async function readEvents(response: Response, what: string, untilMs?: number): Promise<{ name: string; data: Json }[]> {
  const events: { name: string; data: Json }[] = [];
  const cut = AbortSignal.timeout(untilMs ?? 90_000);
  try {
    await collectWithin(
      `the SSE events of ${what}`,
      async function* (signal) {
        const body = response.body!.pipeThrough(new TransformStream(), { signal: AbortSignal.any([signal, cut]) });
        for await (const frame of parseSse(body)) {
          const data = parseJson(frame.data);
          events.push({ name: frame.event, data: typeof data === 'object' && data !== null ? (data as Json) : { data } });
          yield frame;
        }
      },
      (untilMs ?? 90_000) + 5_000,
    );
  } catch (err) {
    if (untilMs === undefined || !cut.aborted) throw err;
  }
  return events;
}
