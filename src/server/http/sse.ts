/**
 * Server-sent events of a run: `id: <cursor>`, `event: <Name>`, one `data:` line of compact
 * JSON, a blank line; `: heartbeat` comments keep idle connections (and proxies) open. The id is
 * the `event_index` of the newest log event the client has, followed by the live text it has of
 * model calls in flight, if any (see src/live/cursor.ts): what `Last-Event-ID` sends back.
 *
 * A stream that cannot go on (its run's log has lost an archived segment, say) ends with an
 * `error` frame, `{"event": "error", "run_id": …, "error": …}` as the WebSocket sends, without an
 * id: the client's cursor stays at the last event it has.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { SSEStreamingApi } from 'hono/streaming';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { Gauge } from '../../metrics/instruments.ts';
import { eventJson, sharedEventBytes } from './event-encoding.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

export interface SseOptions {
  heartbeatMs?: number;
  /** Counts the streams open: up while this one is. */
  open?: Gauge;
}

export function sseResponse(c: Context, runId: string, frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>, options: SseOptions = {}): Response {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    options.open?.inc();
    const aborted = new AbortController();
    stream.onAbort(() => aborted.abort());
    // A frame written in parts must not have a heartbeat in its middle.
    let writing = false;
    const heartbeat = setInterval(() => {
      if (!writing) void stream.write(': heartbeat\n\n');
    }, heartbeatMs);
    try {
      for await (const frame of frames(aborted.signal)) {
        writing = true;
        await writeFrame(stream, frame);
        writing = false;
      }
    } catch (err) {
      if (aborted.signal.aborted) return;
      writing = true;
      const error = (err as Error)?.message ?? String(err);
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ event: 'error', run_id: runId, error }) });
    } finally {
      clearInterval(heartbeat);
      aborted.abort();
      options.open?.dec();
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
