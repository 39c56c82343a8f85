/**
 * The live lane's contracts: what a model call publishes while it streams, and the frames a
 * stream adds to the run's durable events. Live text reaches clients before the run's log has
 * it; the log stays the truth, and a stream never hands a client the same text twice (see
 * docs/adr/0007-live-lane.md).
 */
import type { z } from 'zod';
import type { RunEvent } from './events.ts';
import type { LIVE_EVENT_SCHEMAS } from './wire-schemas/events.ts';

type Live = typeof LIVE_EVENT_SCHEMAS;

/** The events a model call's answer is streamed as. */
export type ContentEventName = 'RunContent' | 'TeamRunContent';

/** What the workflow tells a model call about the content events its answer will become. */
export interface LiveContentTemplate {
  event: ContentEventName;
  /** Every field of those events but `event`, `event_index`, `created_at` and `content`. */
  fields: Record<string, unknown>;
  /** `event_index` of the newest event when the call was scheduled: live text follows it. */
  after: number;
}

/**
 * One delta of a model call attempt, published the moment the model sent it. `offset` counts
 * characters of this attempt's answer; the first delta of an attempt (offset 0) carries the
 * template, so a reader can turn deltas into events.
 */
export interface LiveDelta {
  runId: string;
  callId: string;
  attempt: number;
  offset: number;
  text: string;
  /** Unix milliseconds when the worker received it from the model. */
  at: number;
  template?: LiveContentTemplate;
}

/**
 * A content event streamed live: it has no `event_index` yet (its SSE id is a cursor), and no
 * `model_provider_data` (the response's id is on the log's empty chunk that starts an answer).
 * Declared once, with the events, in wire-schemas/events.ts.
 */
export type LiveContentEvent = z.output<Live['LiveRunContent']> | z.output<Live['LiveTeamRunContent']>;

/**
 * Tells a client to drop the text it got live of a model call: that attempt failed (a retry
 * answers again from the start) or its answer ended up different. What the run's log keeps of
 * the call follows, in full; `discarded_length` counts the characters of this call's text the
 * client had, all of which it should drop.
 */
export type ContentDiscardedEvent = z.output<Live['RunContentDiscarded']> | z.output<Live['TeamRunContentDiscarded']>;

export type LiveEvent = LiveContentEvent | ContentDiscardedEvent;

/** What a run's stream yields: the run's events (with `event_index`) and live frames (without). */
export type StreamedEvent = RunEvent | LiveEvent;

/** Whether a streamed event is one of the run's log (it has an `event_index`). */
export function isLogEvent(event: StreamedEvent): event is RunEvent {
  return typeof event.event_index === 'number';
}
