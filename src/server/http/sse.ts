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
 * Each frame is queued as one string on the response's own ReadableStream, which the server
 * reads straight onto the socket. A thousand clients of busy runs take tens of thousands of frames
 * a second: through Hono's `streamSSE` (a TransformStream per client, each frame encoded to bytes
 * and passed on by a chain of promises) the frames of all clients ran in one turn of the event
 * loop, turns of half a second in which no new connection was accepted.
 */
import type { Context } from 'hono';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { Gauge } from '../../metrics/instruments.ts';
import { eventJson, sharedEventBytes } from './event-encoding.ts';
import { nextSlice } from './event-loop-slices.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

/** How long a client told to reconnect waits first (ms): long enough for the load balancer to route it elsewhere. */
export const RECONNECT_AFTER_MS = 1000;

/** The last thing a stream cut by a shutdown sends: why, and when to reconnect. */
export const RECONNECT_HINT = `: server shutting down; reconnect with Last-Event-ID\nretry: ${RECONNECT_AFTER_MS}\n\n`;
/** Chunks queued for a client before writing waits for it to read: a slow client holds this much, not the run's log. */
const QUEUED_CHUNKS = 64;

/** Where a stream's chunks go, with backpressure. */
interface SseSink {
  /** Resolves at once while the client keeps up, else when it has read some (or left). */
  write(chunk: string | Uint8Array): Promise<void> | void;
  onAbort(listener: () => void): void;
}

export interface SseOptions {
  heartbeatMs?: number;
  /** Counts the streams open: up while this one is. */
  open?: Gauge;
  /** Aborted when the server shuts down: the stream ends with the reconnect hint. */
  shuttingDown?: AbortSignal;
}

export function sseResponse(c: Context, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, options: SseOptions = {}): Response {
  const { body, sink } = queuedStream();
  options.open?.inc();
  void pump(sink, runId, frames, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, options.shuttingDown).finally(() => {
    options.open?.dec();
    sink.close();
  });
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache');
  c.header('Connection', 'keep-alive');
  // Chunked: the server sends the head at once rather than reading ahead for a length.
  c.header('Transfer-Encoding', 'chunked');
  c.header('X-Accel-Buffering', 'no');
  return c.body(body, 200);
}

/** A ReadableStream the server reads the chunks from, and the sink that queues them. */
function queuedStream(): { body: ReadableStream<string | Uint8Array>; sink: SseSink & { close(): void } } {
  let controller!: ReadableStreamDefaultController<string | Uint8Array>;
  let pulled: (() => void) | undefined;
  let closed = false;
  const abortListeners: (() => void)[] = [];
  const leave = () => {
    if (closed) return;
    closed = true;
    pulled?.();
    for (const listener of abortListeners) listener();
  };
  const body = new ReadableStream<string | Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        pulled?.();
        pulled = undefined;
      },
      // The client went away (the server cancels the body when its socket closes).
      cancel: leave,
    },
    { highWaterMark: QUEUED_CHUNKS },
  );
  const sink = {
    write(chunk: string | Uint8Array) {
      if (closed) return;
      controller.enqueue(chunk);
      if ((controller.desiredSize ?? 1) > 0) return;
      return new Promise<void>((resolve) => (pulled = resolve));
    },
    onAbort: (listener: () => void) => void abortListeners.push(listener),
    close() {
      if (closed) return;
      closed = true;
      pulled?.();
      controller.close();
    },
  };
  return { body, sink };
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
      writing = true;
      await writeFrame(sink, frame);
      writing = false;
      await nextSlice();
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

/** The frame as SSE; a big event's data as the bytes all its clients share. */
async function writeFrame(sink: SseSink, frame: StreamFrame): Promise<void> {
  const { event } = frame;
  const shared = sharedEventBytes(event);
  if (!shared) return void (await sink.write(`event: ${event.event}\ndata: ${eventJson(event)}\nid: ${frame.id}\n\n`));
  await sink.write(`event: ${event.event}\ndata: `);
  await sink.write(shared);
  await sink.write(`\nid: ${frame.id}\n\n`);
}
