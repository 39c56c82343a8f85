/**
 * How an SSE client's stream of a run differs from the run's log, if it does: the stream must be
 * a 200 `text/event-stream` that the server ended, whose log frames are the log's events, index
 * by index from 0, each once, ending with the terminal event. Between them may come live text
 * frames (no event_index); content events then carry only the text the client did not have live,
 * so each model call's text, live and logged, adds up to the log's. A stream without live frames
 * must carry every event exactly as the log has it, content included.
 */
import assert from 'node:assert/strict';
import { TERMINAL_EVENTS } from '../../../src/contracts/events.ts';
import type { EventName, RunEvent } from '../../../src/contracts/events.ts';
import { isLogEvent } from '../../../src/contracts/live.ts';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import { StreamReader } from '../../live/support/stream-reader.ts';
import type { SseResult } from './sse-client.ts';

export function compareStream(result: SseResult, log: RunEvent[]): string | undefined {
  if (result.status !== 200) return `status ${result.status} ${result.error ?? ''}`;
  if (!/^text\/event-stream/.test(result.contentType)) return `content type ${result.contentType}`;
  if (result.ended !== 'end') return `stream broke after ${result.frames.length} frames: ${result.error}`;
  const last = result.frames.at(-1);
  if (!last || !TERMINAL_EVENTS.includes(last.event as EventName)) return `ended without the terminal event (last: ${last?.event})`;
  const streamed = result.frames.map((frame) => ({ frame, event: JSON.parse(frame.data) as StreamedEvent }));
  const logged = streamed.filter(({ event }) => isLogEvent(event));
  const live = logged.length < streamed.length;
  for (const [i, { frame, event }] of logged.entries()) {
    if (frame.id?.split('~')[0] !== String(i) || event.event_index !== i) return `frame ${i} has id ${frame.id}, event_index ${event.event_index}`;
    if (frame.event !== event.event) return `frame ${i}: event line ${frame.event} for a ${event.event}`;
    const expected = log[i];
    if (!expected) return `frame ${i} is beyond the log's ${log.length} events: ${frame.data.slice(0, 300)}`;
    const isContent = expected.event === 'RunContent' || expected.event === 'TeamRunContent';
    try {
      assert.deepStrictEqual(event, live && isContent ? { ...expected, content: (event as { content: string }).content } : expected);
    } catch {
      return `event ${i} differs from the log: ${frame.data.slice(0, 300)} vs ${JSON.stringify(expected).slice(0, 300)}`;
    }
  }
  if (logged.length !== log.length) return `${logged.length} log frames for ${log.length} events`;
  try {
    assert.deepStrictEqual(StreamReader.textOf(streamed.map(({ event }) => event)), StreamReader.textOfLog(log));
  } catch {
    return 'the text streamed is not the text of the log';
  }
  return undefined;
}
