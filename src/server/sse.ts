/**
 * Server-sent events of a run: `id: <cursor>`, `event: <Name>`, one `data:` line of compact
 * JSON, a blank line; `: heartbeat` comments keep idle connections (and proxies) open. The id is
 * the `event_index` of the newest log event the client has, followed by the live text it has of
 * model calls in flight, if any (see src/live/cursor.ts): what `Last-Event-ID` sends back.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StreamedEvent } from '../contracts/live.ts';
import type { StreamFrame } from '../live/stream-merge.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Every client of a run gets the same log event objects from its tail: serialize each once. */
const serialized = new WeakMap<StreamedEvent, string>();

/** The event as compact JSON (an SSE frame's data, a WebSocket frame). */
export function eventJson(event: StreamedEvent): string {
  let data = serialized.get(event);
  if (data === undefined) {
    data = JSON.stringify(event);
    serialized.set(event, data);
  }
  return data;
}

export function sseResponse(
  c: Context,
  frames: (signal: AbortSignal) => AsyncIterable<StreamFrame>,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
): Response {
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const aborted = new AbortController();
    stream.onAbort(() => aborted.abort());
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeatMs);
    try {
      for await (const frame of frames(aborted.signal)) {
        await stream.writeSSE({ id: frame.id, event: frame.event.event, data: eventJson(frame.event) });
      }
    } finally {
      clearInterval(heartbeat);
      aborted.abort();
    }
  });
}
