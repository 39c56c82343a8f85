/**
 * A run's events as the clients of its stream get them (SSE data, WebSocket frames). Every client
 * of a run gets the same log event objects from its tail (src/live/run-tails.ts), so each is
 * serialized once; and an event of `SHARED_BYTES_FROM` or more is also encoded once, its bytes
 * written to every client, instead of each client's frame being a copy of its own (a 20 MB step
 * result read by a hundred clients would be 2 GB of frames). Both are kept while the event lives.
 */
import type { StreamedEvent } from '../../contracts/live.ts';

const SHARED_BYTES_FROM = 64 * 1024;

const serialized = new WeakMap<StreamedEvent, string>();
const encoded = new WeakMap<StreamedEvent, Uint8Array>();

/** The event as compact JSON. */
export function eventJson(event: StreamedEvent): string {
  let data = serialized.get(event);
  if (data === undefined) {
    data = JSON.stringify(event);
    serialized.set(event, data);
  }
  return data;
}

/** The event's compact JSON as UTF-8 bytes shared by every client when it is big, else undefined (use `eventJson`). */
export function sharedEventBytes(event: StreamedEvent): Uint8Array | undefined {
  const known = encoded.get(event);
  if (known) return known;
  const json = eventJson(event);
  if (json.length < SHARED_BYTES_FROM) return undefined;
  const bytes = Buffer.from(json, 'utf8');
  encoded.set(event, bytes);
  // The bytes stand for the event from now on: the string need not be kept as well.
  serialized.delete(event);
  return bytes;
}
