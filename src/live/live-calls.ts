/**
 * What a reader knows of a run's model calls in flight, from the live lane: for each call, the
 * text of its newest attempt so far, in the deltas it came in. Deltas may arrive twice, late or
 * with gaps (a broker outage, a reader that joined mid-answer); each call keeps only the text
 * that continues it exactly, and a call the run's log has closed takes no more live text.
 */
import type { LiveContentTemplate, LiveDelta } from '../contracts/live.ts';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import type { LiveFallbackReason } from './live-metrics.ts';

export interface LiveChunk {
  offset: number;
  text: string;
  at: number;
}

export interface LiveCall {
  id: string;
  attempt: number;
  template: LiveContentTemplate;
  chunks: LiveChunk[];
  /** Characters of this attempt received without a gap. */
  length: number;
  /** A delta went missing: nothing more of this attempt can be passed on live. */
  broken: boolean;
}

/** The executor (agent or team run) a call belongs to: at most one of its calls runs at a time. */
export const ownerOf = (template: LiveContentTemplate): unknown => template.fields.run_id;

export class LiveCalls {
  private readonly calls = new Map<string, LiveCall>();
  private readonly closed = new Set<string>();
  /** Attempts joined in the middle, counted once each (`call id.attempt`). */
  private readonly joinedLate = new Set<string>();
  private readonly onFallback: (reason: LiveFallbackReason) => void;

  /** `onFallback`: told once per call attempt whose text must come from the log instead. */
  constructor(onFallback: (reason: LiveFallbackReason) => void = () => {}) {
    this.onFallback = onFallback;
  }

  /** Applies a delta; true when it changed what readers can be sent. */
  apply(delta: LiveDelta): boolean {
    if (this.closed.has(delta.callId)) return false;
    const call = this.calls.get(delta.callId);
    if (!call || delta.attempt > call.attempt) {
      const template = delta.template ?? call?.template;
      // Joined in the middle of an attempt we know nothing of: the log will bring its text.
      if (!template) {
        const attempt = `${delta.callId}.${delta.attempt}`;
        if (!this.joinedLate.has(attempt)) {
          this.joinedLate.add(attempt);
          this.onFallback('late_join');
        }
        return false;
      }
      const fresh: LiveCall = { id: delta.callId, attempt: delta.attempt, template, chunks: [], length: 0, broken: delta.offset !== 0 };
      if (fresh.broken) this.onFallback('gap');
      else fresh.chunks.push({ offset: 0, text: delta.text, at: delta.at }), (fresh.length = delta.text.length);
      this.calls.set(delta.callId, fresh);
      return true;
    }
    if (delta.attempt < call.attempt || call.broken || delta.offset < call.length) return false;
    if (delta.offset > call.length) {
      call.broken = true;
      this.onFallback('gap');
      return false;
    }
    call.chunks.push({ offset: delta.offset, text: delta.text, at: delta.at });
    call.length += delta.text.length;
    return true;
  }

  get(callId: string): LiveCall | undefined {
    return this.calls.get(callId);
  }

  /** The calls in flight, oldest first. */
  inFlight(): IterableIterator<LiveCall> {
    return this.calls.values();
  }

  /**
   * An event reached the run's log: the calls it ends take no more live text. A call ends with
   * its content events, with any later event of its executor, or with the end of the log.
   */
  noteLogEvent(event: RunEvent): void {
    const callId = 'model_call_id' in event ? event.model_call_id : undefined;
    if (callId) this.close(callId);
    for (const call of this.calls.values()) {
      if (isEndOfLog(event) || (ownerOf(call.template) === event.run_id && event.event_index > call.template.after)) this.close(call.id);
    }
  }

  private close(callId: string): void {
    this.calls.delete(callId);
    this.closed.add(callId);
  }
}
