/**
 * The run's ordered, durable event log, kept in workflow state.
 *
 * Lifecycle events are appended by workflow code; a model call's answer is appended from its
 * result, one content event per delta it streamed live (see docs/adr/0007-live-lane.md). Both
 * come from the workflow's history, so after a worker crash the log is rebuilt by replay with the
 * same indexes: `event_index` is gapless and never reused. Runs recorded before the live lane
 * sent their deltas as signals; `acceptDelta` still appends those when such a history replays.
 *
 * An operator's reset (see reset-observer.ts) replays the run up to the reset point and goes on
 * from there, so the events after that point would get the indexes of the old attempt's events,
 * which clients have read. Instead, events from the reset on wait (`parked`, not readable) until
 * `rebase` puts the old execution's whole log under them: the old attempt's events stay, a
 * `WorkflowReset` marks the reset, and the new attempt's events follow it.
 */
import type { BaseEvent, ContentDeltaBatch, EventFields, EventName, ExecutorIdentity, RunEvent, StepFields } from '../contracts/events.ts';
import type { ModelCallResult } from '../contracts/activities.ts';
import { contentChunkFields } from '../contracts/content-chunks.ts';
import type { ContentEventName, LiveContentTemplate } from '../contracts/live.ts';
import type { CarriedLog, LogSegment } from '../contracts/plan.ts';
import type { EventPage } from '../contracts/run-workflow-api.ts';
import { sliceText, textLength } from '../contracts/text-refs.ts';

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

/** An event appended after a reset, waiting for its index; `reset`: how many resets had been seen when it was appended. */
interface ParkedEvent {
  event: RunEvent;
  reset: number;
}

/** Most archived segments one page names; a reader asks again for the rest. */
const SEGMENTS_PER_PAGE = 16;

export class EventLog {
  /** The events this execution holds: `events[i]` has index `first + i`. */
  private readonly events: RunEvent[] = [];
  /** Size of each held event as JSON (characters), for pages bounded in bytes. */
  private readonly sizes: number[] = [];
  private heldChars = 0;
  /** Index of the first held event; the ones before it are in `segments`. */
  private first: number;
  /** Earlier events, archived by earlier executions of the run (continue-as-new, retry, reset). */
  private segments: LogSegment[];
  /** Events appended since a reset whose earlier log has not been put under them yet. */
  private parked: ParkedEvent[] = [];
  /** How many resets the history has passed (see reset-observer.ts), and how many the log has caught up with. */
  private readonly resetsSeen: () => number;
  private resetsApplied = 0;
  private readonly streams = new Map<string, OpenStream>();
  private readonly base: RunFields;

  /**
   * `carried`: the log of earlier executions of this run (a retry, a continue-as-new), continued
   * from its end: archived (segments and the next index), or inline as retries carried it before.
   */
  constructor(base: RunFields, carried: RunEvent[] | CarriedLog = [], resetsSeen: () => number = () => 0) {
    this.resetsSeen = resetsSeen;
    // Nested workflows keep logs of their own (child workflows), so every event here is at depth 0.
    this.base = { ...base, nested_depth: 0 };
    if (Array.isArray(carried)) {
      this.first = 0;
      this.segments = [];
      for (const event of carried) this.hold(event);
    } else {
      this.first = carried.next;
      this.segments = [...carried.segments];
    }
  }

  /** The run's session, which agents' and teams' `session_state` names. */
  get sessionId(): string {
    return this.base.session_id;
  }

  /** Index of the newest readable event (events waiting for a reset's rebase are not readable yet). */
  get lastIndex(): number {
    return this.first + this.events.length - 1;
  }

  /** Index of the first event this execution holds; the ones before it are in `archivedSegments`. */
  get firstHeldIndex(): number {
    return this.first;
  }

  /** The segments earlier executions archived the log before `firstHeldIndex` in. */
  get archivedSegments(): readonly LogSegment[] {
    return this.segments;
  }

  /** How many resets the log has caught up with (by `rebase` or `keepNumbering`): it changes when the log was rebuilt. */
  get resetsCaughtUp(): number {
    return this.resetsApplied;
  }

  /** Whether the run was reset and the log waits for the earlier execution's log (`rebase`). */
  get awaitingReset(): boolean {
    return this.resetsSeen() > this.resetsApplied;
  }

  /** How many events, and about how many bytes of them, this execution holds in memory. */
  get held(): { events: number; bytes: number } {
    return { events: this.events.length, bytes: this.heldChars };
  }

  /** The events this execution holds, to archive before it continues as new. */
  heldEvents(): RunEvent[] {
    return [...this.events];
  }

  /** The whole log as the next execution carries it, once the held events are archived as `archived`. */
  carry(archived: LogSegment[]): CarriedLog {
    return { segments: [...this.segments, ...archived], next: this.lastIndex + 1 };
  }

  private hold(event: RunEvent): void {
    const size = JSON.stringify(event).length;
    this.events.push(event);
    this.sizes.push(size);
    this.heldChars += size;
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
      event_index: this.lastIndex + 1 + this.parked.length,
    } as RunEvent;
    if (this.awaitingReset) this.parked.push({ event: entry, reset: this.resetsSeen() });
    else this.hold(entry);
    return entry;
  }

  /**
   * Reset number `reset` caught up: `earlier` is the whole log of the execution the reset started
   * from. Everything this execution appended before that reset is in it (the replay made the
   * same events), so the log becomes `earlier`, the `WorkflowReset` marker, then the events
   * appended since, numbered on. A later reset, already seen, supersedes this one.
   */
  rebase(reset: number, earlier: CarriedLog, marker: Omit<EventFields<'WorkflowReset'>, 'status' | 'reset_point_index'>): void {
    if (reset < this.resetsSeen()) return;
    const since = this.parked.filter((parked) => parked.reset >= reset).map((parked) => parked.event);
    // The newest event the run had made before the reset point: the new attempt goes on from there.
    const resetPoint = this.lastIndex + this.parked.length - since.length;
    this.resetsApplied = reset;
    this.parked = [];
    this.events.length = 0;
    this.sizes.length = 0;
    this.heldChars = 0;
    this.first = earlier.next;
    this.segments = [...earlier.segments];
    this.emit('WorkflowReset', { status: 'RUNNING', reset_point_index: resetPoint, ...marker });
    for (const event of since) {
      event.event_index = this.lastIndex + 1;
      this.hold(event);
    }
  }

  /** Reset number `reset` is left as Temporal replayed it (histories recorded before resets kept the log). */
  keepNumbering(reset: number): void {
    this.resetsApplied = reset;
    const parked = this.parked;
    this.parked = [];
    for (const { event } of parked) this.hold(event);
  }

  /** Held events after `index`: at most `limit`, and about `maxBytes` (at least one, if any). */
  after(index: number, limit: number, maxBytes = Infinity): RunEvent[] {
    const from = Math.max(0, Math.floor(index) + 1 - this.first);
    const end = Math.min(this.events.length, from + Math.max(1, limit));
    let to = from;
    for (let bytes = 0; to < end && (to === from || bytes + this.sizes[to]! <= maxBytes); to++) bytes += this.sizes[to]!;
    return this.events.slice(from, to);
  }

  /** The log after `index`: held events within `maxBytes`, or the archived segments that hold what comes first. */
  page(index: number, maxBytes: number): EventPage {
    const next = Math.max(0, Math.floor(index) + 1);
    if (next < this.first) {
      const archived = this.segments.filter((segment) => segment.last >= next).slice(0, SEGMENTS_PER_PAGE);
      return { events: [], archived, lastIndex: this.lastIndex };
    }
    return { events: this.after(index, Number.MAX_SAFE_INTEGER, maxBytes), archived: [], lastIndex: this.lastIndex };
  }

  /**
   * Prepares for the answer of a model call: its pieces become `event` entries with `fields`.
   * Returns what the call needs to publish its deltas live as those events.
   */
  openStream(callId: string, event: ContentEventName, fields: StepFields & ExecutorIdentity): LiveContentTemplate | undefined {
    // Agno's fields of every chunk, on the logged and the live ones alike.
    fields = { ...fields, ...contentChunkFields(event) };
    this.streams.set(callId, { event, fields, attempt: 0, length: 0 });
    // Right after a reset the call's place in the log is not known yet: its text comes by the log only.
    if (this.awaitingReset) return undefined;
    return { event, fields: { ...this.base, ...fields }, after: this.lastIndex };
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
   * Ends a model call's stream with its result: its reasoning first, then its content in the pieces it
   * streamed live (one event each, naming the call and attempt, so a stream can match them with
   * the live text a client already has), or as one piece when it did not stream. Text already in
   * the log (from the signals of a run recorded before the live lane) is not appended again, so
   * the pieces of a call always add up to its content.
   */
  closeStream(callId: string, result: Pick<ModelCallResult, 'content' | 'streamed' | 'reasoning' | 'reasoningSegments'>): void {
    const stream = this.streams.get(callId);
    if (!stream) return;
    this.streams.delete(callId);
    const { content, streamed } = result;
    // A big reply is a text reference (see text-refs.ts): measured and cut as the text it stands for.
    const fits = streamed !== undefined && streamed.segments.reduce((sum, n) => sum + n, 0) === textLength(content);
    const segments = fits ? streamed.segments : [textLength(content)];
    const call = { model_call_id: callId, ...(fits ? { model_call_attempt: streamed.attempt } : {}) };
    // The reasoning comes first, as the model produced it: Agno's chunks with empty `content` and
    // the reasoning's piece in `reasoning_content`. A stream takes these out of no live text (it has none).
    if (result.reasoning) {
      const pieces = result.reasoningSegments ?? [textLength(result.reasoning)];
      let at = 0;
      for (const length of pieces) {
        this.emit(stream.event, { ...stream.fields, content: '', reasoning_content: sliceText(result.reasoning, at, at + length), ...call });
        at += length;
      }
    }
    let offset = 0;
    for (const length of segments) {
      const start = Math.max(offset, stream.length);
      offset += length;
      if (offset > start) this.emit(stream.event, { ...stream.fields, content: sliceText(content, start, offset), ...call });
    }
  }
}
