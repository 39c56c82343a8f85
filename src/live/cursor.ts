/**
 * The SSE `id` of a run's stream: where a client stands, so that a reconnect (to any API
 * replica, by `Last-Event-ID`, `?after=` or `/resume`'s `last_event_index`) sends exactly what it
 * lacks. It is the `event_index` of the last log event the client has, then, for each model call
 * whose live text it has beyond that, the call, the attempt and the characters it has:
 *
 *   41                                   41 events of the log, nothing live
 *   41~<call id>.2.120                   and 120 characters of attempt 2 of that call, live
 *
 * A plain `event_index` is a cursor too, so clients that only know indexes keep working.
 */

export interface CallPosition {
  id: string;
  attempt: number;
  /**
   * Characters of the call's text the client has beyond the call's content events it has from
   * the log: all of its live text before any of them.
   */
  chars: number;
}

export interface StreamCursor {
  /** `event_index` of the newest log event the client has; -1 for none. */
  after: number;
  calls: CallPosition[];
}

// `~` and `.` separate the parts; a call id keeps them out by percent-encoding.
const encodeId = (id: string) => encodeURIComponent(id).replace(/\./g, '%2E').replace(/~/g, '%7E');

export function formatCursor(cursor: StreamCursor): string {
  return [String(cursor.after), ...cursor.calls.map((call) => `${encodeId(call.id)}.${call.attempt}.${call.chars}`)].join('~');
}

/** What `formatCursor` writes, as a pattern for request schemas: a text matching it always parses. */
export const CURSOR_PATTERN = "^-?\\d{1,15}(?:~(?:[A-Za-z0-9_!*'()-]|%[0-9A-Fa-f]{2})+\\.\\d{1,9}\\.\\d{1,12})*$";

/** The cursor an SSE id or `last_event_index` names; undefined when it is not one. */
export function parseCursor(text: string): StreamCursor | undefined {
  const [head, ...parts] = text.trim().split('~');
  if (!head || !/^-?\d+$/.test(head)) return undefined;
  const calls: CallPosition[] = [];
  for (const part of parts) {
    const match = /^([^.]+)\.(\d+)\.(\d+)$/.exec(part);
    if (!match) return undefined;
    let id: string;
    try {
      id = decodeURIComponent(match[1]!);
    } catch {
      // Not an id any call has (its escapes are no UTF-8): as good as naming no call.
      id = match[1]!;
    }
    calls.push({ id, attempt: Number(match[2]), chars: Number(match[3]) });
  }
  return { after: Math.max(-1, Number(head)), calls };
}
