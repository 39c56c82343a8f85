/**
 * Another protocol's stream of a run (the AI SDK's UI message stream, AG-UI's events) written by
 * the run streams' own SSE writer (sse.ts): each message a frame whose SSE `event:` is the
 * message's type, whose `data:` is the message as JSON (its `event` field naming the type as
 * well), and whose `id:` is our cursor where the message came from. Both protocols' clients read
 * `data:` alone, so the cursor and the name cost them nothing.
 */
import type { StreamedEvent } from '../../contracts/live.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';

export function protocolFrame(id: string, type: string, message: object): StreamFrame {
  // The writer takes run events; it reads only `event` and the JSON of the whole object.
  return { id, event: { event: type, ...message } as unknown as StreamedEvent };
}
