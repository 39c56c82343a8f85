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
}

export function sseResponse(c: Context, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, options: SseOptions = {}): Response {
  const { body, sink } = queuedStream();
  options.open?.inc();
  void pump(sink, runId, frames, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS).finally(() => {
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

/** Writes the frames until they end or the client leaves, with heartbeats between. */
async function pump(sink: SseSink, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, heartbeatMs: number): Promise<void> {
  const aborted = new AbortController();
  sink.onAbort(() => aborted.abort());
  // A frame written in parts must not have a heartbeat in its middle.
  let writing = false;
  const heartbeat = setInterval(() => {
    if (!writing) void sink.write(': heartbeat\n\n');
  }, heartbeatMs);
  try {
    for await (const frame of frames(aborted.signal)) {
      writing = true;
      await writeFrame(sink, frame);
      writing = false;
      await nextSlice();
    }
  } catch (err) {
    if (aborted.signal.aborted) return;
    writing = true;
    const error = (err as Error)?.message ?? String(err);
    await sink.write(`event: error\ndata: ${JSON.stringify({ event: 'error', run_id: runId, error })}\n\n`);
  } finally {
    clearInterval(heartbeat);
    aborted.abort();
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
