/**
 * One tail per active run, fanned out to all its SSE clients.
 *
 * A tail reads the run's event log from the workflow (the `events` query, which adds no history)
 * and keeps it in memory while anyone listens; each client reads from its own position, so a
 * client resuming after event N gets exactly the suffix after N. A thousand clients of one run
 * cost one poll loop, not a thousand.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Engine } from '../engine/engine.ts';
import { RunNotFoundError } from '../engine/errors.ts';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import { EVENTS_PAGE_LIMIT, eventsQuery } from '../contracts/run-workflow-api.ts';

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

/** A run that produced an event this recently counts as busy. */
const BUSY_WINDOW_MS = 2000;

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
  private readonly pollMs: number;
  private readonly maxPollMs: number;
  private readonly busyPollMs: number;
  private readonly lingerMs: number;
  private closed = false;

  constructor(engine: Engine, options: RunTailsOptions = {}) {
    this.engine = engine;
    this.pollMs = options.pollMs ?? 50;
    this.maxPollMs = Math.max(this.pollMs, options.maxPollMs ?? 500);
    this.busyPollMs = Math.min(this.maxPollMs, Math.max(this.pollMs, options.busyPollMs ?? 100));
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
    const handle = this.engine.client.workflow.getHandle(runId);
    let failures = 0;
    let pause = this.pollMs;
    let lastNews = Date.now();
    try {
      while (!this.closed) {
        if (tail.listeners === 0 && Date.now() - tail.idleSince > this.lingerMs) return;
        if (tail.finished) {
          // Ended: keep the log a while for reconnecting clients. A new subscriber clears
          // `finished` and wakes this loop to read again (the run may have been retried).
          await tail.changed(AbortSignal.timeout(Math.min(1000, this.lingerMs)));
          continue;
        }
        let page: RunEvent[];
        try {
          page = await handle.query(eventsQuery, tail.events.length - 1, EVENTS_PAGE_LIMIT);
          failures = 0;
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) {
            tail.error = new RunNotFoundError(runId);
            return;
          }
          // No worker yet, or one restarting: keep the clients (they get heartbeats) and ask again.
          failures += 1;
          await delay(Math.min(2000, this.pollMs * 2 ** failures));
          continue;
        }
        // Only the next expected index is appended: a reader never sees a gap or a repeat.
        for (const event of page) {
          if (event.event_index === tail.events.length) tail.events.push(event);
        }
        tail.finished = page.length < EVENTS_PAGE_LIMIT && isEndOfLog(tail.events.at(-1));
        if (page.length > 0 || tail.finished) tail.notify();
        if (page.length > 0) lastNews = Date.now();
        const ceiling = Date.now() - lastNews < BUSY_WINDOW_MS ? this.busyPollMs : this.maxPollMs;
        pause = page.length > 0 ? this.pollMs : Math.min(ceiling, pause * 2);
        if (page.length < EVENTS_PAGE_LIMIT && !tail.finished) await delay(pause);
      }
    } finally {
      tail.following = false;
      tail.notify();
      if (this.tails.get(runId) === tail) this.tails.delete(runId);
    }
  }

  close(): void {
    this.closed = true;
    for (const tail of this.tails.values()) tail.notify();
  }
}
