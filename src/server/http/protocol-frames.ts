/**
 * Another protocol's stream of a run (the AI SDK's UI message stream, AG-UI's events) written by
 * the run streams' own SSE writer (sse.ts): each message a frame whose SSE `event:` is the
 * message's type, whose `data:` is the message as JSON, exactly, and whose `id:` is our cursor
 * where the message came from. Both protocols' clients read `data:` alone.
 */
import type { StreamedEvent } from '../../contracts/live.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';

export function protocolFrame(id: string, type: string, message: object): StreamFrame {
  // The writer takes run events: it names the frame by `event` and writes the object's JSON. The
  // name is not enumerable, so the JSON is the protocol's message and nothing else (AG-UI's
  // client warns about fields it does not know).
  const event = Object.defineProperty({ ...message }, 'event', { value: type, enumerable: false });
  return { id, event: event as unknown as StreamedEvent };
}
