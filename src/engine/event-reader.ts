/**
 * The one reader of a run's event log: pages through the workflow's `eventPage` query (queries
 * add no history and still answer after the run closed) and the segments earlier executions
 * archived in the blob store, replaces the texts events hold by reference with the texts
 * themselves, waits out a missing or restarting worker, and stops at the end-of-log event, or
 * with an error naming the events lost when an archived segment cannot be read back. A run
 * ended outside our code (terminate, timeout) gets its terminal event here (see execution-end.ts).
 * The engine's event stream, the carry-over of a retry and the API's run tails all read through
 * it. Given the run store, a run that the store holds ended and whole is read from the store
 * alone (see stored-runs.ts). See docs/adr/0002-event-transport.md and docs/adr/0006-bytes-beside-the-run.md.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import { engineData, textScope } from './engine-data.ts';
import { RunNotFoundError } from './errors.ts';
import { endingEvent, executionEnd } from './execution-end.ts';
import type { ExecutionEnd } from './execution-end.ts';
import { MAX_EVENT_PAGE_BYTES } from '../contracts/run-workflow-api.ts';
import { LostLogSegmentError } from '../data-plane/log-segments.ts';
import { fetchLogPage } from './log-pages.ts';
import { QUERY_DEADLINE_MS } from './query-run.ts';
import type { LogPage } from './log-pages.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { followStoredLog, storedLogPages, storedRun } from './stored-runs.ts';
import type { StoredRun } from './stored-runs.ts';

/** How often to poll a log that has not ended. */
export interface PollPacing {
  /**
   * Pause after a poll that brought events; also the first pause when no worker answers, each
   * further unanswered poll doubling it up to 2 s. Default 100 ms.
   */
  pollMs?: number;
  /** Longest pause while the run is busy (an event in the last 2 s), so fresh text arrives quickly. Default: `maxPollMs`. */
  busyPollMs?: number;
  /**
   * Longest pause of a quiet run: each poll that brings nothing doubles the pause up to this, so
   * runs waiting on a slow model cost few queries. Default: `pollMs` (a steady pace).
   */
  maxPollMs?: number;
}

export interface EventLogReadOptions {
  /** Read events with `event_index` greater than this; default -1 (from the start). */
  after?: number;
  /**
   * `follow` (default): poll until the end-of-log event, waiting out a missing worker.
   * `snapshot`: the log as it is now, to its newest event (and, for a run that ended outside our
   * code, the terminal event made for it); a query no worker answers within the query deadline
   * fails the read.
   */
  mode?: 'follow' | 'snapshot';
  pacing?: PollPacing;
  /**
   * How the reader waits `ms` between two polls of Temporal; default a plain timer. A caller that
   * hears of news elsewhere (the live lane says a model call returned) may end the wait early or
   * shorten it, without restarting the read. Reads from the run store wait on the store instead.
   */
  pause?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /**
   * Leave the texts events hold by reference as references, for a reader that replaces them
   * itself, one event at a time, within a byte budget (see output-events.ts).
   */
  keepReferences?: boolean;
  /** The run store: an ended run it holds whole is read from it, with no worker query. */
  store?: RunStore;
  /** What the store said of the run just now (`storedRun`), when the caller asked already: not asked again. */
  stored?: StoredRun;
}

/** A run that produced an event this recently counts as busy. */
const BUSY_WINDOW_MS = 2000;
/** Longest pause while no worker answers. */
const MAX_RETRY_PAUSE_MS = 2000;
/** How often a follower of a quiet log asks Temporal whether the run ended outside our code. */
const END_CHECK_MS = 2000;

/**
 * The run's events after `options.after`, one page per poll (empty when the poll brought
 * nothing, also when no worker answered it), so a consumer can stop between polls, even while
 * the run's worker is away. Throws RunNotFoundError for an unknown run.
 */
export async function* readEventLog(client: Client, runId: string, options: EventLogReadOptions = {}): AsyncGenerator<RunEvent[]> {
  const { signal } = options;
  const snapshot = options.mode === 'snapshot';
  const expanded = (page: RunEvent[]) => (options.keepReferences ? page : engineData(client).texts.expandAll(page, textScope(client, runId)));
  let after = options.after ?? -1;
  // A snapshot is what the run is now; a follower must not stop at an end a reset has just reopened.
  const stored = options.store && (options.stored ?? (await storedRun(client, options.store, runId, { confirmEnd: !snapshot })));
  if (stored?.kind === 'stored') {
    const pages = snapshot ? storedLogPages(options.store!, runId, after) : followStoredLog(client, options.store!, runId, after, signal);
    let next;
    while (!(next = await pages.next()).done) {
      signal?.throwIfAborted();
      after = next.value.at(-1)?.event_index ?? after;
      yield await expanded(next.value);
    }
    // The log's end, or a run that closed without its end reaching the store: Temporal reads the rest.
    if (!next.value) return;
  }
  const pace = pacer(options.pacing ?? {});
  const pause = options.pause ?? ((ms: number, abort?: AbortSignal) => delay(ms, undefined, { signal: abort }));
  // Whether the log has ended is a question about its newest event, so the first poll also
  // fetches the event at `after`: a reader resuming at the end of an ended log stops at once.
  let from = Math.max(-1, after - 1);
  let newest: RunEvent | undefined;
  let failures = 0;
  let endCheckedAt = 0;
  /** Set once Temporal says the run has ended: the log is read to its end once more, then closed. */
  let ended: ExecutionEnd | undefined;
  for (;;) {
    signal?.throwIfAborted();
    let page: LogPage | undefined;
    try {
      page = await fetchLogPage(client, runId, from, snapshot ? { deadlineMs: QUERY_DEADLINE_MS, maxBytes: MAX_EVENT_PAGE_BYTES } : {});
      failures = 0;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
      // Waiting brings back a worker, not a lost segment: the read ends with what is missing.
      if (snapshot || err instanceof LostLogSegmentError) throw err;
      failures += 1;
    }
    if (!page) {
      // A worker restarting, or none polling yet: this poll brought nothing; wait and ask again, backing off.
      yield [];
      await pause(pace.afterUnanswered(failures), signal);
      continue;
    }
    const fresh = page.events.filter((event) => event.event_index > after);
    if (page.events.length > 0) {
      newest = page.events.at(-1)!;
      from = after = Math.max(after, newest.event_index);
    }
    const pauseMs = pace.afterPage(fresh.length);
    yield await expanded(fresh);
    // A page is bounded in bytes: more may be there already.
    if (page.lastIndex > from) continue;
    if (isEndOfLog(newest)) return;
    if (ended) {
      // Made, not stored: a reader resuming after it (`after` past the stored log) has it already.
      const last = endingEvent(runId, ended, page.lastIndex + 1);
      if (last && last.event_index > after) yield [last];
      return;
    }
    if (snapshot || Date.now() - endCheckedAt >= END_CHECK_MS) {
      endCheckedAt = Date.now();
      ended = await executionEnd(client, runId).catch(() => undefined);
      // Read once more: the run may have written its own end just before it closed.
      if (ended) continue;
    }
    if (snapshot) return;
    await pause(pauseMs, signal);
  }
}

/** The pauses of one read: quick after news, doubling while quiet, up to a busy or quiet ceiling. */
function pacer(pacing: PollPacing) {
  const pollMs = pacing.pollMs ?? 100;
  const maxPollMs = Math.max(pollMs, pacing.maxPollMs ?? pollMs);
  const busyPollMs = Math.min(maxPollMs, Math.max(pollMs, pacing.busyPollMs ?? maxPollMs));
  let pause = pollMs;
  let lastNews = Date.now();
  return {
    afterPage(count: number): number {
      if (count > 0) lastNews = Date.now();
      const ceiling = Date.now() - lastNews < BUSY_WINDOW_MS ? busyPollMs : maxPollMs;
      pause = count > 0 ? pollMs : Math.min(ceiling, pause * 2);
      return pause;
    },
    afterUnanswered(failures: number): number {
      return Math.min(MAX_RETRY_PAUSE_MS, pollMs * 2 ** failures);
    },
  };
}
