/**
 * One client's stream of a run: the run's log events in order, each exactly once, and between
 * them the live text of model calls in flight, with no text twice and none lost.
 *
 * The client's position is a cursor (./cursor.ts): the last log event it has and, per model call,
 * the live characters it has. When a call's content events reach the log, the text the client
 * already has live is taken out of them (an event it has in full arrives with empty `content`),
 * so every client still gets every log event. When the live text was of an attempt that the log
 * does not keep (a retried or crashed call), the client is told to drop it
 * (`RunContentDiscarded`), and the log's text follows in full.
 */
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import type { ContentDiscardedEvent, LiveContentEvent, LiveContentTemplate, StreamedEvent } from '../contracts/live.ts';
import { formatCursor } from './cursor.ts';
import type { StreamCursor } from './cursor.ts';
import type { LiveCall, LiveChunk } from './live-calls.ts';
import { ownerOf } from './live-calls.ts';

/** What a stream reads: a run's log so far and its calls in flight (see ./run-tails.ts). */
export interface FollowedRun {
  readonly events: readonly RunEvent[];
  liveCall(callId: string): LiveCall | undefined;
  inFlight(): Iterable<LiveCall>;
}

export interface StreamFrame {
  /** The SSE id: the client's cursor once it has this frame. */
  id: string;
  event: StreamedEvent;
}

/** Live text of one call that the client has. */
interface HeldCall {
  id: string;
  attempt: number;
  /** Characters of the attempt's text sent live. */
  sent: number;
  /** Characters of the call's content events passed since (sent or taken out). */
  logged: number;
  template?: LiveContentTemplate;
  /** Index of the first live chunk of this attempt not yet sent in full: no rescans from the start. */
  chunk: number;
}

type ContentEvent = RunEvent & { event: 'RunContent' | 'TeamRunContent' };
const isContent = (event: RunEvent): event is ContentEvent => event.event === 'RunContent' || event.event === 'TeamRunContent';

/** Content events emptied of text a client had live: the same for every such client, so built once. */
const emptied = new WeakMap<RunEvent, RunEvent>();

export class RunStreamPosition {
  private after: number;
  private readonly held = new Map<string, HeldCall>();

  constructor(cursor: StreamCursor) {
    this.after = cursor.after;
    for (const call of cursor.calls) if (call.chars > 0) this.held.set(call.id, { id: call.id, attempt: call.attempt, sent: call.chars, logged: 0, chunk: 0 });
  }

  get cursor(): StreamCursor {
    // A call's characters count from the end of its content events the client has: all of its
    // live text while none has reached the log, what remains beyond them after.
    const calls = [...this.held.values()].filter((call) => call.sent > call.logged);
    return { after: this.after, calls: calls.map((call) => ({ id: call.id, attempt: call.attempt, chars: call.sent - call.logged })) };
  }

  /** Whether the client has every log event of the run that this reader has. */
  caughtUp(run: FollowedRun): boolean {
    return this.after >= run.events.length - 1;
  }

  /** Frames the client lacks now: log events first, then live text once it has the whole log. */
  *next(run: FollowedRun): Generator<StreamFrame> {
    // A client resuming from a cursor names calls this reader may know in flight: learn their executor.
    for (const call of this.held.values()) call.template ??= run.liveCall(call.id)?.template;
    while (this.after + 1 < run.events.length) yield* this.logEvent(run.events[this.after + 1]!);
    // A log that has ended has no call in flight: deltas a cancelled call still sent are not the run's text.
    if (isEndOfLog(run.events.at(-1))) return;
    for (const call of run.inFlight()) yield* this.liveText(run, call);
  }

  private *logEvent(event: RunEvent): Generator<StreamFrame> {
    if (isContent(event) && event.model_call_id && this.held.has(event.model_call_id)) {
      const call = this.held.get(event.model_call_id)!;
      if (event.model_call_attempt !== call.attempt) {
        // The log keeps another attempt's text: the client drops what it had, then gets the log's in full.
        yield* this.discard(call, event);
        this.after = event.event_index;
        yield this.frame(event);
        return;
      }
      const have = Math.min(event.content.length, Math.max(0, call.sent - call.logged));
      call.logged += event.content.length;
      if (call.logged >= call.sent) this.held.delete(call.id);
      this.after = event.event_index;
      yield this.frame(have === 0 ? event : withoutPrefix(event, have));
      return;
    }
    for (const call of [...this.held.values()]) {
      // The call ended (its executor went on, or the log ended) without the log confirming its live text.
      const ended = isEndOfLog(event) || (call.template !== undefined && ownerOf(call.template) === event.run_id && event.event_index > call.template.after);
      if (ended) yield* this.discard(call, event);
    }
    this.after = event.event_index;
    yield this.frame(event);
  }

  private *liveText(run: FollowedRun, live: LiveCall): Generator<StreamFrame> {
    // Live text follows the log events before its call started, and every log event this reader
    // has; and waits while this reader has less of the log than the client (a reader that has
    // just started following the run may hold deltas of calls its log will show as ended).
    if (live.template.after > this.after || this.after !== run.events.length - 1) return;
    let call = this.held.get(live.id);
    if (call && call.attempt > live.attempt) return; // this reader has not caught up with the client's attempt yet
    if (call && call.attempt < live.attempt) {
      yield* this.discard(call, undefined, live.template);
      call = undefined;
    }
    if (!call) {
      call = { id: live.id, attempt: live.attempt, sent: 0, logged: 0, template: live.template, chunk: 0 };
      this.held.set(live.id, call);
    }
    call.template ??= live.template;
    for (; call.chunk < live.chunks.length; call.chunk++) {
      const chunk = live.chunks[call.chunk]!;
      const end = chunk.offset + chunk.text.length;
      if (end <= call.sent) continue;
      // A client that had none of the chunk gets it whole: the event every such client shares.
      const whole = call.sent === chunk.offset;
      const text = whole ? chunk.text : chunk.text.slice(call.sent - chunk.offset);
      call.sent = end;
      yield this.frame(whole ? wholeChunkEvent(live, chunk) : liveEvent(live, chunk, text));
    }
  }

  /** Tells the client to drop a call's live text; `source` supplies the event fields when no template is known. */
  private *discard(call: HeldCall, source: RunEvent | undefined, template = call.template): Generator<StreamFrame> {
    this.held.delete(call.id);
    if (call.sent <= call.logged) return;
    const fields = template ? { event: template.event, ...template.fields } : contentFields(source);
    const event = {
      ...fields,
      event: `${String(fields.event ?? 'RunContent')}Discarded`,
      created_at: Math.floor(Date.now() / 1000),
      model_call_id: call.id,
      model_call_attempt: call.attempt,
      discarded_length: call.sent,
    } as ContentDiscardedEvent;
    yield this.frame(event);
  }

  private frame(event: StreamedEvent): StreamFrame {
    return { id: formatCursor(this.cursor), event };
  }
}

/** A live chunk as one event: built once and shared by its clients, so it is serialized once too (../server/http/event-encoding.ts). */
const chunkEvents = new WeakMap<LiveChunk, LiveContentEvent>();

function wholeChunkEvent(live: LiveCall, chunk: LiveChunk): LiveContentEvent {
  let event = chunkEvents.get(chunk);
  if (!event) {
    event = liveEvent(live, chunk, chunk.text);
    chunkEvents.set(chunk, event);
  }
  return event;
}

function liveEvent(live: LiveCall, chunk: LiveChunk, text: string): LiveContentEvent {
  return {
    event: live.template.event,
    created_at: Math.floor(chunk.at / 1000),
    ...live.template.fields,
    content: text,
    model_call_id: live.id,
    model_call_attempt: live.attempt,
  } as LiveContentEvent;
}

function withoutPrefix(event: ContentEvent, length: number): RunEvent {
  if (length < event.content.length) return { ...event, content: event.content.slice(length) };
  let empty = emptied.get(event);
  if (!empty) {
    empty = { ...event, content: '' };
    emptied.set(event, empty);
  }
  return empty;
}

/** The fields of a discard built from a log event: its run and step fields, for a call this reader never saw live. */
function contentFields(source: RunEvent | undefined): Record<string, unknown> {
  if (!source) return { event: 'RunContent' };
  const { event_index: _index, created_at: _at, content: _content, model_call_id: _id, model_call_attempt: _attempt, ...rest } = source as RunEvent & Record<string, unknown>;
  return isContent(source) ? rest : { ...rest, event: 'RunContent' };
}
