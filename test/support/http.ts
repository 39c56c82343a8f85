/** Raw HTTP helpers for API tests: exact wire checks without our own client in between. */
import { parseSse } from '../../src/client/sse-parser.ts';
import type { SseFrame } from '../../src/client/sse-parser.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { collectWithin, waitUntil } from './wait.ts';
import type { WaitOptions } from './wait.ts';

export function form(fields: Record<string, string>): { body: URLSearchParams; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const f = form(fields);
  return fetch(url, { method: 'POST', body: f.body, headers: { ...f.headers, ...headers } });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Reads SSE frames until the stream ends (or `stopAfter` frames), within `timeoutMs`; at the
 * deadline the response is cancelled and the read fails naming its URL.
 */
export async function readFrames(response: Response, stopAfter = Infinity, timeoutMs = 60_000): Promise<{ frames: SseFrame[]; events: RunEvent[] }> {
  const frames = await collectWithin(
    `SSE frames of ${response.url}`,
    // Piped so that the deadline can cancel the response body, which parseSse holds locked.
    async function* (signal) {
      let count = 0;
      for await (const frame of parseSse(response.body!.pipeThrough(new TransformStream(), { signal }))) {
        yield frame;
        if (++count >= stopAfter) return;
      }
    },
    timeoutMs,
  );
  return { frames, events: frames.map((frame) => JSON.parse(frame.data) as RunEvent) };
}

const ENDED = ['COMPLETED', 'ERROR', 'CANCELLED'];

/** GETs a run (`…/workflows/{id}/runs/{run_id}`) until it has ended, and returns its body. */
export function pollRunUntilEnded(runUrl: string, options: WaitOptions = {}): Promise<Record<string, unknown>> {
  return waitUntil(
    `${runUrl} to end`,
    async () => {
      const body = (await (await fetch(runUrl)).json()) as Record<string, unknown>;
      return ENDED.includes(String(body.status)) && body;
    },
    { timeoutMs: 60_000, ...options },
  );
}
