/**
 * Server-sent events of a run: `id: <event_index>`, `event: <Name>`, one `data:` line of compact
 * JSON, a blank line; `: heartbeat` comments keep idle connections (and proxies) open.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RunEvent } from '../events/types.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

export function sseResponse(
  c: Context,
  events: (signal: AbortSignal) => AsyncIterable<RunEvent>,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
): Response {
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    const aborted = new AbortController();
    stream.onAbort(() => aborted.abort());
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeatMs);
    try {
      for await (const event of events(aborted.signal)) {
        await stream.writeSSE({ id: String(event.event_index), event: event.event, data: JSON.stringify(event) });
      }
    } finally {
      clearInterval(heartbeat);
      aborted.abort();
    }
  });
}
