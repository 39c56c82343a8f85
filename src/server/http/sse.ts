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
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SSEStreamingApi } from 'hono/streaming';
import type { StreamFrame } from '../../live/stream-merge.ts';
import { eventJson, sharedEventBytes } from './event-encoding.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

/** How long a client told to reconnect waits first (ms): long enough for the load balancer to route it elsewhere. */
export const RECONNECT_AFTER_MS = 1000;

/** The last thing a stream cut by a shutdown sends: why, and when to reconnect. */
export const RECONNECT_HINT = `: server shutting down; reconnect with Last-Event-ID\nretry: ${RECONNECT_AFTER_MS}\n\n`;

export interface SseOptions {
  heartbeatMs?: number;
  /** Aborted when the server shuts down: the stream ends with the reconnect hint. */
  shuttingDown?: AbortSignal;
}

export function sseResponse(c: Context, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, options: SseOptions = {}): Response {
  const { heartbeatMs = DEFAULT_HEARTBEAT_MS, shuttingDown } = options;
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const clientGone = new AbortController();
    stream.onAbort(() => clientGone.abort());
    // The frames stop when the client goes or the server shuts down, whichever comes first.
    const stop = shuttingDown ? AbortSignal.any([clientGone.signal, shuttingDown]) : clientGone.signal;
    // A frame written in parts must not have a heartbeat in its middle.
    let writing = false;
    const heartbeat = setInterval(() => {
      if (!writing) void stream.write(': heartbeat\n\n');
    }, heartbeatMs);
    try {
      for await (const frame of frames(stop)) {
        writing = true;
        await writeFrame(stream, frame);
        writing = false;
      }
      if (shuttingDown?.aborted && !clientGone.signal.aborted) await stream.write(RECONNECT_HINT);
    } catch (err) {
      if (clientGone.signal.aborted) return;
      writing = true;
      if (shuttingDown?.aborted) return void (await stream.write(RECONNECT_HINT));
      const error = (err as Error)?.message ?? String(err);
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ event: 'error', run_id: runId, error }) });
    } finally {
      clearInterval(heartbeat);
      clientGone.abort();
    }
  });
}

/** The frame as `writeSSE` writes it; a big event's data as the bytes all its clients share. */
async function writeFrame(stream: SSEStreamingApi, frame: StreamFrame): Promise<void> {
  const { event } = frame;
  const shared = sharedEventBytes(event);
  if (!shared) return void (await stream.writeSSE({ id: frame.id, event: event.event, data: eventJson(event) }));
  await stream.write(`event: ${event.event}\ndata: `);
  await stream.write(shared);
  await stream.write(`\nid: ${frame.id}\n\n`);
}
