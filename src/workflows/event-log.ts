/**
 * The run's ordered, durable event log, kept in workflow state.
 *
 * Lifecycle events are appended by workflow code; token deltas arrive as signals from model call
 * activities. Both are part of the workflow's history, so after a worker crash the log is rebuilt
 * by replay with the same indexes: `event_index` is gapless and never reused.
 */
import type { BaseEvent, ContentDeltaBatch, EventFields, EventName, ExecutorIdentity, RunEvent, StepFields } from '../contracts/events.ts';

/** The events a model call streams its answer as. */
type ContentEventName = 'RunContent' | 'TeamRunContent';

interface OpenStream {
  event: ContentEventName;
  /** Every field of the stream's events but their `content`. */
  fields: StepFields & ExecutorIdentity;
  /** Highest attempt heard from; batches of older attempts are stale. */
  attempt: number;
  /** Characters of this call's content already in the log. */
  length: number;
}

/** The run's fields on every event: the log adds them. */
type RunFields = Omit<BaseEvent, 'event' | 'event_index' | 'created_at'>;

export class EventLog {
  private readonly events: RunEvent[] = [];
  private readonly streams = new Map<string, OpenStream>();
  private readonly base: RunFields;

  /** `carried`: the log of earlier attempts of this run (a retry), continued from its end. */
  constructor(base: RunFields, carried: RunEvent[] = []) {
    this.base = base;
    this.events.push(...carried);
  }

  get lastIndex(): number {
    return this.events.length - 1;
  }

  /** Appends event `event` with its fields; an agent's or team's event brings its own `run_id`. */
  emit<N extends EventName>(event: N, fields: EventFields<N>): RunEvent {
    // The cast joins what the types keep apart: `fields` are event N's, the rest is every event's.
    const entry = {
      event,
      // Date.now() is deterministic in workflow code: it is the time of the current workflow task.
      created_at: Math.floor(Date.now() / 1000),
      ...this.base,
      ...fields,
      event_index: this.events.length,
    } as RunEvent;
    this.events.push(entry);
    return entry;
  }

  after(index: number, limit: number): RunEvent[] {
    const from = Math.max(0, Math.floor(index) + 1);
    return this.events.slice(from, from + Math.max(1, limit));
  }

  /** Prepares for token deltas of a model call: they become `event` entries with `fields`. */
  openStream(callId: string, event: ContentEventName, fields: StepFields & ExecutorIdentity): void {
    this.streams.set(callId, { event, fields, attempt: 0, length: 0 });
  }

  /**
   * Appends the part of a delta batch not yet in the log. A batch re-sent after a lost signal
   * response, or the start of a retried attempt repeating text already streamed, adds nothing.
   */
  acceptDelta(batch: ContentDeltaBatch): void {
    const stream = this.streams.get(batch.callId);
    if (!stream || batch.attempt < stream.attempt) return;
    stream.attempt = batch.attempt;
    const end = batch.offset + batch.text.length;
    // A gap (an earlier batch never arrived) is left for closeStream to fill in one piece.
    if (end <= stream.length || batch.offset > stream.length) return;
    const fresh = batch.text.slice(stream.length - batch.offset);
    stream.length = end;
    this.emit(stream.event, { ...stream.fields, content: fresh });
  }

  /**
   * Ends a model call's stream with its final content: whatever the deltas did not deliver is
   * appended as one last content event, so the deltas of a call always add up to its content.
   */
  closeStream(callId: string, content: string): void {
    const stream = this.streams.get(callId);
    if (!stream) return;
    this.streams.delete(callId);
    if (content.length > stream.length) {
      this.emit(stream.event, { ...stream.fields, content: content.slice(stream.length) });
    }
  }
}
