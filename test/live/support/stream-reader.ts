/**
 * A client of a run's SSE stream as a browser app would be: it keeps the text of each model call
 * (dropping it on a discard), the log events it got, and the id of the last frame, and reconnects
 * with `Last-Event-ID` wherever it is told to. Every read has a deadline.
 */
import { parseSse } from '../../../src/client/sse-parser.ts';
import type { RunEvent } from '../../../src/contracts/events.ts';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import { collectWithin } from '../../support/wait.ts';

export class StreamReader {
  lastId: string | undefined;
  readonly log: RunEvent[] = [];
  readonly live: StreamedEvent[] = [];
  /** Text per model call, as the client shows it. */
  readonly text = new Map<string, string>();
  discards = 0;
  ended = false;

  /**
   * Reads `eventsUrl` from where this client stands until the stream ends, or until `stop` says
   * so (the connection is then dropped, as by a crash).
   */
  async read(
    eventsUrl: string,
    options: { stop?: (event: StreamedEvent) => boolean; timeoutMs?: number; onResponse?: (response: Response) => void } = {},
  ): Promise<void> {
    const abort = new AbortController();
    const headers: Record<string, string> = this.lastId === undefined ? {} : { 'last-event-id': this.lastId };
    await collectWithin(
      `the SSE stream ${eventsUrl}`,
      async function* (this: StreamReader, signal: AbortSignal) {
        signal.addEventListener('abort', () => abort.abort(), { once: true });
        let response: Response;
        try {
          response = await fetch(eventsUrl, { headers, signal: abort.signal });
        } catch (err) {
          if (abort.signal.aborted) return;
          throw err;
        }
        options.onResponse?.(response);
        if (!response.ok) throw new Error(`${eventsUrl}: HTTP ${response.status} ${await response.text()}`);
        try {
          for await (const frame of parseSse(response.body!)) {
            const event = JSON.parse(frame.data) as StreamedEvent;
            this.take(frame.id, event);
            yield event;
            if (options.stop?.(event)) {
              abort.abort();
              return;
            }
          }
          this.ended = true;
        } catch (err) {
          // The server died mid-stream: this client reconnects elsewhere.
          if (!abort.signal.aborted && !(err instanceof TypeError)) throw err;
        }
      }.bind(this),
      options.timeoutMs ?? 120_000,
    );
  }

  private take(id: string | undefined, event: StreamedEvent): void {
    if (id !== undefined) this.lastId = id;
    if (typeof event.event_index === 'number') this.log.push(event as RunEvent);
    else this.live.push(event);
    if ((event.event === 'RunContent' || event.event === 'TeamRunContent') && event.model_call_id) {
      this.text.set(event.model_call_id, (this.text.get(event.model_call_id) ?? '') + event.content);
    }
    if (event.event === 'RunContentDiscarded' || event.event === 'TeamRunContentDiscarded') {
      this.discards += 1;
      this.text.delete(event.model_call_id);
    }
  }

  /** The text of each model call as a client of these frames shows it (a discard drops what came before). */
  static textOf(events: readonly StreamedEvent[]): Map<string, string> {
    const reader = new StreamReader();
    for (const event of events) reader.take(undefined, event);
    return reader.text;
  }

  /** The text of each model call as the run's log has it, for comparison. */
  static textOfLog(log: readonly RunEvent[]): Map<string, string> {
    const text = new Map<string, string>();
    for (const event of log) {
      if ((event.event === 'RunContent' || event.event === 'TeamRunContent') && event.model_call_id) {
        text.set(event.model_call_id, (text.get(event.model_call_id) ?? '') + event.content);
      }
    }
    return text;
  }
}
