/**
 * One tail per run being watched, fanned out to all its readers (SSE clients, in-process streams).
 *
 * A tail reads the run's event log from the workflow (the `events` query, which adds no history)
 * and keeps it in memory while anyone listens, and follows the run on the live lane for the text
 * of model calls in flight. Each reader goes at its own position (./stream-merge.ts), so a client
 * resuming from a cursor gets exactly what it lacks. A thousand clients of one run cost one poll
 * loop and one lane subscription, not a thousand.
 *
 * The live lane also tells the tail when to read the log early: a call that starts before the
 * tail has its start, or that has just returned, ends the read's pause at once and keeps its
 * pauses short until the log brings news (at most for a moment), so the events that follow a
 * call reach clients soon after its last token. The read goes on where it was: a log read from
 * the run store is woken by the store itself, and restarting it would ask Temporal again where
 * the run stands.
 */
import type { Engine, PollPacing } from '../engine/engine.ts';
import type { RunEvent } from '../contracts/events.ts';
import type { StreamCursor } from './cursor.ts';
import type { LiveLane, LiveMessage } from './lane.ts';
import { LiveCalls } from './live-calls.ts';
import type { LiveCall } from './live-calls.ts';
import type { LiveReaderMetrics } from './live-metrics.ts';
import { RunStreamPosition } from './stream-merge.ts';
import type { FollowedRun, StreamFrame } from './stream-merge.ts';

export interface RunTailsOptions {
  /** Pause after a poll that brought events; default 50 ms. */
  pollMs?: number;
  /**
   * Longest pause between polls of a quiet run: each poll that brings nothing doubles the pause
   * up to this, so runs waiting on a slow model cost few queries. Default 500 ms.
   */
  maxPollMs?: number;
  /** Longest pause while the run is busy (an event in the last 2 s). Default 100 ms. */
  busyPollMs?: number;
  /** Pause between polls right after the live lane said a model call returned; default 10 ms. */
  hintPollMs?: number;
  /** How long a tail outlives its last client, for reconnects; default 30 s. */
  lingerMs?: number;
  /** The live lane to follow runs on; without one, streams come from the log alone. */
  lane?: LiveLane;
  /** Where the deltas' lag and the calls that fell back to the log are counted. */
  metrics?: LiveReaderMetrics;
}

/** How long polls stay quick after a hint, at most. */
const HINT_WINDOW_MS = 500;

class Tail implements FollowedRun {
  readonly events: RunEvent[] = [];
  readonly live: LiveCalls;
  /** When the tail subscribed to the lane: deltas published before are replays, not lag. */
  followedSince = 0;
  /** The log ended (its newest event is terminal) when last read. */
  finished = false;
  following = false;
  error: unknown;
  listeners = 0;
  idleSince = Date.now();
  /** Until when pauses between polls are short; set by hints from the live lane. */
  quickUntil = 0;
  /** Aborted when the tail stops (the API closes): ends the read in progress. */
  readonly stop = new AbortController();
  unfollowLane: (() => void) | undefined;
  private wake = new Set<() => void>();
  /** Ends the pause the read is in, if any. */
  private endPause: (() => void) | undefined;
  private readonly quickPauseMs: number;

  constructor(quickPauseMs: number, metrics: LiveReaderMetrics | undefined) {
    this.quickPauseMs = quickPauseMs;
    this.live = new LiveCalls(metrics ? (reason) => metrics.fallbacks.inc({ reason }) : undefined);
  }

  liveCall(callId: string): LiveCall | undefined {
    return this.live.get(callId);
  }

  inFlight(): Iterable<LiveCall> {
    return this.live.inFlight();
  }

  append(event: RunEvent): void {
    this.events.push(event);
    this.live.noteLogEvent(event);
  }

  hint(): void {
    this.quickUntil = Date.now() + HINT_WINDOW_MS;
    this.endPause?.();
  }

  /** The read's pause between polls: short while a hint holds, ended early by the next hint. */
  pause(ms: number, signal?: AbortSignal): Promise<void> {
    const wait = Date.now() < this.quickUntil ? Math.min(ms, this.quickPauseMs) : ms;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        if (this.endPause === done) this.endPause = undefined;
        resolve();
      };
      const aborted = () => {
        done();
        reject(signal!.reason);
      };
      const timer = setTimeout(done, wait);
      this.endPause = done;
      if (signal?.aborted) aborted();
      else signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  notify(): void {
    const waiting = [...this.wake];
    this.wake.clear();
    for (const resolve of waiting) resolve();
  }

  /** Resolves when the tail has news, or the signal aborts. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.wake.delete(done);
        resolve();
      };
      this.wake.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

export class RunTails {
  private readonly tails = new Map<string, Tail>();
  private readonly engine: Engine;
  private readonly pacing: PollPacing;
  private readonly hintPollMs: number;
  private readonly lingerMs: number;
  private readonly lane: LiveLane | undefined;
  private readonly metrics: LiveReaderMetrics | undefined;
  private closed = false;

  constructor(engine: Engine, options: RunTailsOptions = {}) {
    this.engine = engine;
    this.pacing = { pollMs: options.pollMs ?? 50, busyPollMs: options.busyPollMs ?? 100, maxPollMs: options.maxPollMs ?? 500 };
    this.hintPollMs = options.hintPollMs ?? 10;
    this.lingerMs = options.lingerMs ?? 30_000;
    this.lane = options.lane;
    this.metrics = options.metrics;
  }

  /** Runs with a live tail right now. */
  get size(): number {
    return this.tails.size;
  }

  /**
   * The run's stream from `cursor` on: log events and live text, as they happen, ending with the
   * log's terminal event. Each frame's id is the cursor to resume from after it.
   */
  async *subscribe(runId: string, cursor: StreamCursor, signal: AbortSignal): AsyncGenerator<StreamFrame> {
    const tail = this.tailFor(runId);
    // A lingering tail of an ended run is read once more: the run may have been retried since.
    if (tail.finished) {
      tail.finished = false;
      tail.notify();
    }
    // Counted before the tail starts following, which stops at once for a tail nobody listens to.
    tail.listeners += 1;
    if (!tail.following) void this.follow(runId, tail);
    const position = new RunStreamPosition(cursor);
    try {
      while (!signal.aborted) {
        let sent = false;
        for (const frame of position.next(tail)) {
          yield frame;
          sent = true;
        }
        if (sent) continue;
        if (tail.error) throw tail.error;
        if (tail.finished && position.caughtUp(tail)) return;
        await tail.changed(signal);
      }
    } finally {
      tail.listeners -= 1;
      if (tail.listeners === 0) tail.idleSince = Date.now();
    }
  }

  private tailFor(runId: string): Tail {
    let tail = this.tails.get(runId);
    if (!tail) {
      tail = new Tail(this.hintPollMs, this.metrics);
      this.tails.set(runId, tail);
    }
    return tail;
  }

  private onLiveMessage(tail: Tail, message: LiveMessage): void {
    if (message.kind === 'ended') {
      tail.hint();
      return;
    }
    // A call that started after the newest event this tail has: read the log for its start now.
    if (message.template && message.template.after >= tail.events.length) tail.hint();
    if (!tail.live.apply(message)) return;
    if (message.at >= tail.followedSince) this.metrics?.lag.observe(undefined, Math.max(0, Date.now() - message.at) / 1000);
    tail.notify();
  }

  private async follow(runId: string, tail: Tail): Promise<void> {
    tail.following = true;
    if (!this.tails.has(runId)) this.tails.set(runId, tail);
    if (!tail.unfollowLane) tail.followedSince = Date.now();
    tail.unfollowLane ??= this.lane?.follow(runId, (message) => this.onLiveMessage(tail, message));
    try {
      while (!this.stopped(tail)) {
        if (tail.finished) {
          // Ended: keep the log a while for reconnecting clients. A new subscriber clears
          // `finished` and wakes this loop to read again (the run may have been retried).
          await tail.changed(AbortSignal.timeout(Math.min(1000, this.lingerMs)));
          continue;
        }
        if (await this.readLog(runId, tail)) return;
        tail.finished = true;
        tail.notify();
      }
    } catch (err) {
      // The run does not exist (RunNotFoundError): its clients get the error.
      tail.error = err;
    } finally {
      tail.following = false;
      tail.unfollowLane?.();
      tail.unfollowLane = undefined;
      tail.notify();
      if (this.tails.get(runId) === tail) this.tails.delete(runId);
    }
  }

  /** Reads the log to its end; true when the tail stopped first. */
  private async readLog(runId: string, tail: Tail): Promise<boolean> {
    const pause = (ms: number, signal?: AbortSignal) => tail.pause(ms, signal);
    try {
      // One page per poll: between polls the tail looks whether anyone still listens.
      for await (const page of this.engine.readEventLog(runId, { after: tail.events.length - 1, pacing: this.pacing, pause, signal: tail.stop.signal })) {
        // Only the next expected index is appended: a reader never sees a gap or a repeat.
        for (const event of page) {
          if (event.event_index === tail.events.length) tail.append(event);
        }
        if (page.length > 0) {
          // The news a hint was for has come: pauses go back to their pace.
          tail.quickUntil = 0;
          tail.notify();
        }
        if (this.stopped(tail)) return true;
      }
      return false;
    } catch (err) {
      // A read cut short by close() ends the tail like a stop.
      if (tail.stop.signal.aborted) return true;
      throw err;
    }
  }

  /** The API is closing, or nobody has listened to this tail for the linger time. */
  private stopped(tail: Tail): boolean {
    return this.closed || (tail.listeners === 0 && Date.now() - tail.idleSince > this.lingerMs);
  }

  close(): void {
    this.closed = true;
    for (const tail of this.tails.values()) {
      tail.stop.abort();
      tail.notify();
    }
  }
}
