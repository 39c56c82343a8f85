/**
 * Server-sent events of a run: `id: <event_index>`, `event: <Name>`, one `data:` line of compact
 * JSON, a blank line; `: heartbeat` comments keep idle connections (and proxies) open.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RunEvent } from '../contracts/events.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Every client of a run gets the same event objects from its tail: serialize each once. */
const serialized = new WeakMap<RunEvent, string>();

function dataOf(event: RunEvent): string {
  let data = serialized.get(event);
  if (data === undefined) {
    data = JSON.stringify(event);
    serialized.set(event, data);
  }
  return data;
}

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
        await stream.writeSSE({ id: String(event.event_index), event: event.event, data: dataOf(event) });
      }
    } finally {
      clearInterval(heartbeat);
      aborted.abort();
    }
  });
}
