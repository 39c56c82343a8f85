/**
 * One tail per active run, fanned out to all its SSE clients.
 *
 * A tail reads the run's event log from the workflow (the `events` query, which adds no history)
 * and keeps it in memory while anyone listens; each client reads from its own position, so a
 * client resuming after event N gets exactly the suffix after N. A thousand clients of one run
 * cost one poll loop, not a thousand.
 */
import type { Engine, PollPacing } from '../engine/engine.ts';
import type { RunEvent } from '../contracts/events.ts';

export interface RunTailsOptions {
  /** Pause after a poll that brought events; default 50 ms. */
  pollMs?: number;
  /**
   * Longest pause between polls of a quiet run: each poll that brings nothing doubles the pause
   * up to this, so runs waiting on a slow model cost few queries. Default 500 ms.
   */
  maxPollMs?: number;
  /**
   * Longest pause while the run is busy (an event in the last 2 s, e.g. a model streaming), so
   * token deltas reach clients quickly. Default 100 ms.
   */
  busyPollMs?: number;
  /** How long a tail outlives its last client, for reconnects; default 30 s. */
  lingerMs?: number;
}

class Tail {
  readonly events: RunEvent[] = [];
  /** The log ended (its newest event is terminal) when last read. */
  finished = false;
  following = false;
  error: unknown;
  listeners = 0;
  idleSince = Date.now();
  private wake = new Set<() => void>();

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
  private readonly lingerMs: number;
  private closed = false;

  constructor(engine: Engine, options: RunTailsOptions = {}) {
    this.engine = engine;
    this.pacing = { pollMs: options.pollMs ?? 50, busyPollMs: options.busyPollMs ?? 100, maxPollMs: options.maxPollMs ?? 500 };
    this.lingerMs = options.lingerMs ?? 30_000;
  }

  /** Runs with a live tail right now. */
  get size(): number {
    return this.tails.size;
  }

  /** The run's events with `event_index > after`, as they happen, ending with the terminal event. */
  async *subscribe(runId: string, after: number, signal: AbortSignal): AsyncGenerator<RunEvent> {
    const tail = this.tailFor(runId);
    // A lingering tail of an ended run is read once more: the run may have been retried since.
    if (tail.finished) {
      tail.finished = false;
      tail.notify();
    }
    if (!tail.following) void this.follow(runId, tail);
    tail.listeners += 1;
    try {
      let next = Math.max(0, after + 1);
      while (!signal.aborted) {
        while (next < tail.events.length) yield tail.events[next++]!;
        if (tail.error) throw tail.error;
        if (tail.finished) return;
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
      tail = new Tail();
      this.tails.set(runId, tail);
    }
    return tail;
  }

  private async follow(runId: string, tail: Tail): Promise<void> {
    tail.following = true;
    if (!this.tails.has(runId)) this.tails.set(runId, tail);
    try {
      while (!this.stopped(tail)) {
        if (tail.finished) {
          // Ended: keep the log a while for reconnecting clients. A new subscriber clears
          // `finished` and wakes this loop to read again (the run may have been retried).
          await tail.changed(AbortSignal.timeout(Math.min(1000, this.lingerMs)));
          continue;
        }
        // One page per poll: between polls the tail looks whether anyone still listens.
        for await (const page of this.engine.readEventLog(runId, { after: tail.events.length - 1, pacing: this.pacing })) {
          // Only the next expected index is appended: a reader never sees a gap or a repeat.
          for (const event of page) {
            if (event.event_index === tail.events.length) tail.events.push(event);
          }
          if (page.length > 0) tail.notify();
          if (this.stopped(tail)) return;
        }
        tail.finished = true;
        tail.notify();
      }
    } catch (err) {
      // The run does not exist (RunNotFoundError): its clients get the error.
      tail.error = err;
    } finally {
      tail.following = false;
      tail.notify();
      if (this.tails.get(runId) === tail) this.tails.delete(runId);
    }
  }

  /** The API is closing, or nobody has listened to this tail for the linger time. */
  private stopped(tail: Tail): boolean {
    return this.closed || (tail.listeners === 0 && Date.now() - tail.idleSince > this.lingerMs);
  }

  close(): void {
    this.closed = true;
    for (const tail of this.tails.values()) tail.notify();
  }
}
