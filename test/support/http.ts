/** Raw HTTP helpers for API tests: exact wire checks without our own client in between. */
import { parseSse } from '../../src/client/sse-parser.ts';
import type { SseFrame } from '../../src/client/sse-parser.ts';
import type { RunEvent } from '../../src/contracts/events.ts';

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

/** Reads SSE frames until the stream ends (or `stopAfter` frames), checking the frame format. */
export async function readFrames(response: Response, stopAfter = Infinity): Promise<{ frames: SseFrame[]; events: RunEvent[] }> {
  const frames: SseFrame[] = [];
  for await (const frame of parseSse(response.body!)) {
    frames.push(frame);
    if (frames.length >= stopAfter) break;
  }
  return { frames, events: frames.map((frame) => JSON.parse(frame.data) as RunEvent) };
}
