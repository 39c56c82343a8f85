/**
 * Server-sent events of a run: `id: <cursor>`, `event: <Name>`, one `data:` line of compact
 * JSON, a blank line; `: heartbeat` comments keep idle connections (and proxies) open. The id is
 * the `event_index` of the newest log event the client has, followed by the live text it has of
 * model calls in flight, if any (see src/live/cursor.ts): what `Last-Event-ID` sends back.
 *
 * A stream that cannot go on (its run's log has lost an archived segment, say) ends with an
 * `error` frame, `{"event": "error", "run_id": …, "error": …}` as the WebSocket sends, without an
 * id: the client's cursor stays at the last event it has.
 *
 * When the server shuts down, a stream stops after the frame it is writing and ends with a
 * reconnect hint: a comment saying so and a `retry:` field (how long an `EventSource` waits before
 * it reconnects). The client reconnects with `Last-Event-ID`, through the load balancer, to a
 * replica that stays, and goes on from there: nothing lost, nothing twice.
 *
 * Each frame is one string (a big event's data the bytes its clients share), written by the
 * response's own writer (./sse-body.ts: straight to Node's response, else the body's stream). A
 * thousand clients of busy runs take tens of thousands of frames a second: through Hono's
 * `streamSSE` (a TransformStream per client, each frame encoded to bytes and passed on by a chain
 * of promises) the frames of all clients ran in one turn of the event loop, turns of half a second
 * in which no new connection was accepted.
 */
import type { Context } from 'hono';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { Gauge } from '../../metrics/instruments.ts';
import { eventJson, sharedEventBytes } from './event-encoding.ts';
import { nextSlice } from './event-loop-slices.ts';
import { sseBody } from './sse-body.ts';
import { offerToNodeResponse } from './sse-direct.ts';
import type { SseSink } from './sse-body.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

/** How long a client told to reconnect waits first (ms): long enough for the load balancer to route it elsewhere. */
export const RECONNECT_AFTER_MS = 1000;

/** The last thing a stream cut by a shutdown sends: why, and when to reconnect. */
export const RECONNECT_HINT = `: server shutting down; reconnect with Last-Event-ID\nretry: ${RECONNECT_AFTER_MS}\n\n`;

export interface SseOptions {
  heartbeatMs?: number;
  /** Counts the streams open: up while this one is. */
  open?: Gauge;
  /** Aborted when the server shuts down: the stream ends with the reconnect hint. */
  shuttingDown?: AbortSignal;
}

export function sseResponse(c: Context, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, options: SseOptions = {}): Response {
  const body = sseBody((sink) => {
    options.open?.inc();
    void pump(sink, runId, frames, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, options.shuttingDown).finally(() => {
      options.open?.dec();
      sink.close();
    });
  });
  offerToNodeResponse(c.env, body);
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache');
  c.header('Connection', 'keep-alive');
  // Chunked: the server sends the head at once rather than reading ahead for a length.
  c.header('Transfer-Encoding', 'chunked');
  c.header('X-Accel-Buffering', 'no');
  return c.body(body, 200);
}

/** Writes the frames until they end, the client leaves or the server shuts down, with heartbeats between. */
async function pump(sink: SseSink, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, heartbeatMs: number, shuttingDown?: AbortSignal): Promise<void> {
  const clientGone = new AbortController();
  sink.onAbort(() => clientGone.abort());
  // The frames stop when the client goes or the server shuts down, whichever comes first.
  const stop = shuttingDown ? AbortSignal.any([clientGone.signal, shuttingDown]) : clientGone.signal;
  // A frame written in parts must not have a heartbeat in its middle.
  let writing = false;
  const heartbeat = setInterval(() => {
    if (!writing) void sink.write(': heartbeat\n\n');
  }, heartbeatMs);
  try {
    for await (const frame of frames(stop)) {
      // The slice is asked before writing: a stream woken after the turn's slice is spent waits
      // for the next turn, behind the streams already waiting, so no turn writes for every client.
      const turn = nextSlice();
      if (turn) await turn;
      writing = true;
      const written = writeFrame(sink, frame);
      if (written) await written;
      writing = false;
    }
    if (shuttingDown?.aborted && !clientGone.signal.aborted) await sink.write(RECONNECT_HINT);
  } catch (err) {
    if (clientGone.signal.aborted) return;
    writing = true;
    if (shuttingDown?.aborted) return void (await sink.write(RECONNECT_HINT));
    const error = (err as Error)?.message ?? String(err);
    await sink.write(`event: error\ndata: ${JSON.stringify({ event: 'error', run_id: runId, error })}\n\n`);
  } finally {
    clearInterval(heartbeat);
    clientGone.abort();
  }
}

/** The frame as SSE; a big event's data as the bytes all its clients share. Resolves once the client can take more. */
function writeFrame(sink: SseSink, frame: StreamFrame): Promise<void> | void {
  const { event } = frame;
  const shared = sharedEventBytes(event);
  if (!shared) return sink.write(`event: ${event.event}\ndata: ${eventJson(event)}\nid: ${frame.id}\n\n`);
  return writeInParts(sink, event.event, shared, frame.id);
}

async function writeInParts(sink: SseSink, name: string, data: Uint8Array, id: string): Promise<void> {
  await sink.write(`event: ${name}\ndata: `);
  await sink.write(data);
  await sink.write(`\nid: ${id}\n\n`);
}
