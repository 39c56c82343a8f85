/**
 * Reads of runs from the run store (see docs/adr/0012-run-store-writes.md): no worker query, so a
 * run reads at once, also with every worker down, and shows committed state only. The store
 * speaks for a run once it has the run's row: its workflow's records (or the start, see
 * start-run.ts) wrote it. Temporal is still asked, by describe (its server answers, not a worker,
 * and it is no billed Action), whether the run's latest execution has closed (a read of a running
 * run takes an answer that it is open for a second, OPEN_EXECUTION_TRUST_MS):
 * - a run whose row is still open but whose execution closed ended outside workflow code
 *   (terminate, timeout): its end is read through Temporal once and written (record-closed-run.ts);
 * - a run whose row has ended while an execution other than the one that wrote it is open is
 *   being retried or was reset: its new execution's first record has not reached the store yet,
 *   so Temporal answers until it has. The execution that wrote the end, still closing, is the store's.
 * Runs the store lacks (ended before it existed, or run by workers without it) are read through
 * Temporal, and an ended one is written to the store by that read (back-fill, read-run.ts).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog, TERMINAL_STATUSES } from '../contracts/events.ts';
import { MAX_EVENT_PAGE_BYTES } from '../contracts/run-workflow-api.ts';
import type { RunRecord, RunStore } from '../run-store/run-store.ts';
import { executionEnd } from './execution-end.ts';
import type { ExecutionEnd } from './execution-end.ts';

/** What the store holds of a run, and whether it is the whole answer. */
export type StoredRun =
  /** The store speaks for the run: ended and whole, or running (`end` undefined). */
  | { kind: 'stored'; row: RunRecord }
  /** The row is open but the execution closed outside workflow code: read through Temporal once, then written. */
  | { kind: 'ended-outside'; row: RunRecord; end: ExecutionEnd }
  /** No row, or one a newer execution has not reached yet: read through Temporal. */
  | { kind: 'absent' };

/**
 * How the store stands for this run (see the module's comment). `confirmEnd: false`: a run the
 * store holds ended and whole is taken as ended without asking Temporal, for a read of what it is
 * now (a GET, a list): a retry through the engine writes the run's row at once (retry-run.ts),
 * so only an operator's reset shows its old end until its first record, a moment later. A
 * follower asks (the default): it must not stop at an end that a reset has just reopened.
 */
export async function storedRun(client: Client, store: RunStore, runId: string, { confirmEnd = true }: { confirmEnd?: boolean } = {}): Promise<StoredRun> {
  const row = await store.getRun(runId);
  if (!row) return { kind: 'absent' };
  const ended = TERMINAL_STATUSES.includes(row.status);
  // Asked once: a row ahead of its events is waited for (see holdsWholeLog), not twice.
  const whole = ended && (await holdsWholeLog(store, row));
  if (!confirmEnd && whole) return { kind: 'stored', row };
  const recentlyOpen = recentlyOpenExecutions(client);
  // Only a RUNNING row: a run waiting for a person or in its queue may sit for hours, and an
  // operator who ends it outside workflow code expects the next read to say so.
  if (!confirmEnd && row.status === 'RUNNING' && recentlyOpen.seen(runId)) return { kind: 'stored', row };
  let execution;
  try {
    execution = await client.workflow.getHandle(runId).describe();
  } catch (err) {
    // An open row with no execution: a run waiting in its session's queue (see session-queue.ts), which the row speaks for.
    if (err instanceof WorkflowNotFoundError) return ended ? { kind: 'absent' } : { kind: 'stored', row };
    throw err;
  }
  const open = execution.status.name === 'RUNNING';
  if (!ended) {
    if (open && row.status === 'RUNNING') recentlyOpen.saw(runId);
    const end = open ? undefined : await executionEnd(client, runId);
    return end ? { kind: 'ended-outside', row, end } : { kind: 'stored', row };
  }
  if (!whole) return { kind: 'absent' };
  // Ended in the store, open in Temporal: the execution that wrote the end, about to close, or a
  // retry or a reset of the run (another execution) whose first record has not landed yet.
  return !open || (row.execution_id !== undefined && row.execution_id === execution.runId) ? { kind: 'stored', row } : { kind: 'absent' };
}

/**
 * How long a read of a RUNNING run (a GET, a list) takes Temporal's word that its execution is
 * still open, in ms. Pollers of a busy run (ten clients at 10 Hz, say) each cost a describe on
 * the API's connection without it: most of what the API spent answering them. An end outside
 * workflow code (a terminate, a timeout) shows this much later at most; followers of the log
 * notice it after STORE_END_CHECK_MS of quiet, which is longer.
 */
export const OPEN_EXECUTION_TRUST_MS = 1000;

/** Runs whose execution a describe found open lately, by run id: when, per client (one per Temporal connection). */
class RecentlyOpen {
  private readonly seenAt = new Map<string, number>();

  seen(runId: string): boolean {
    const at = this.seenAt.get(runId);
    if (at === undefined) return false;
    if (performance.now() - at < OPEN_EXECUTION_TRUST_MS) return true;
    this.seenAt.delete(runId);
    return false;
  }

  saw(runId: string): void {
    const now = performance.now();
    // Expired entries go as new ones come: the map holds about the runs polled in the last second.
    if (this.seenAt.size >= 1000) for (const [id, at] of this.seenAt) if (now - at >= OPEN_EXECUTION_TRUST_MS) this.seenAt.delete(id);
    this.seenAt.delete(runId);
    this.seenAt.set(runId, now);
  }
}

const recentlyOpenByClient = new WeakMap<Client, RecentlyOpen>();

function recentlyOpenExecutions(client: Client): RecentlyOpen {
  let recent = recentlyOpenByClient.get(client);
  if (!recent) recentlyOpenByClient.set(client, (recent = new RecentlyOpen()));
  return recent;
}

/**
 * How long a read waits for the events of a row that is ahead of them: the writer puts a record's
 * row a moment before its events (src/activities/run-record.ts), and a reader in another process
 * may come between. Without the wait, such a read went to Temporal (a query) at every run's end.
 */
const ROW_AHEAD_WAIT_MS = 1000;

/** Whether the row's newest event is stored and ends the log (given the moment its events may lag the row). */
async function holdsWholeLog(store: RunStore, row: RunRecord): Promise<boolean> {
  if ((await store.lastEventIndex(row.run_id)) < row.last_event_index) {
    await store.waitForEvents(row.run_id, row.last_event_index - 1, AbortSignal.timeout(ROW_AHEAD_WAIT_MS)).catch(() => undefined);
  }
  const [last] = (await store.readEvents(row.run_id, { after: row.last_event_index - 1, limit: 1 })).events;
  return last?.event_index === row.last_event_index && isEndOfLog(last);
}

/** The stored log after `after`, a page of at most about `MAX_EVENT_PAGE_BYTES` at a time, as it is now. */
export async function* storedLogPages(store: RunStore, runId: string, after: number): AsyncGenerator<RunEvent[]> {
  for (let more = true; more; ) {
    const page = await store.readEvents(runId, { after, maxBytes: MAX_EVENT_PAGE_BYTES });
    if (page.events.length === 0) return;
    after = page.events.at(-1)!.event_index;
    more = page.more;
    yield page.events;
  }
}

/** How long a follower waits for the store's news before it asks Temporal whether the run closed outside workflow code. */
export const STORE_END_CHECK_MS = 2000;

/** Why `followStoredLog` stopped before the log's end: the rest must be read through Temporal, after `after`. */
export interface StoreLeft {
  after: number;
}

/**
 * The run's events after `after` from the store, page by page as they are written (woken by the
 * store's change notification), to the end of the log. Returns undefined once the log has ended,
 * or where Temporal must take over: the run's execution closed and the store lacks its end (an
 * end outside workflow code, or a record that never arrived). An end-of-log event is the end only
 * when the row ended with it (see `endsAt`).
 */
export async function* followStoredLog(client: Client, store: RunStore, runId: string, after: number, signal?: AbortSignal): AsyncGenerator<RunEvent[], StoreLeft | undefined> {
  // Whether the log has ended is a question about its newest event: a reader resuming at the end of an ended log stops at once.
  let newest = after >= 0 ? (await store.readEvents(runId, { after: after - 1, limit: 1 })).events[0] : undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page = await store.readEvents(runId, { after, maxBytes: MAX_EVENT_PAGE_BYTES });
    if (page.events.length > 0) {
      newest = page.events.at(-1)!;
      after = newest.event_index;
      yield page.events;
      if (page.more) continue;
    }
    if (await endsAt(store, runId, newest)) return undefined;
    if (await changedWithin(store, runId, after, STORE_END_CHECK_MS, signal)) continue;
    if (!(await executionEnd(client, runId).catch(() => undefined))) {
      // Quiet and still open: an empty page, so that a reader may stop between waits (a tail nobody listens to).
      yield [];
      continue;
    }
    // Closed: read the store once more (its last record may have landed since), then hand over.
    if ((await store.lastEventIndex(runId)) > after || (await endsAt(store, runId, newest))) continue;
    return { after };
  }
}

/**
 * Whether the row says the run ended at this event. A retry or a reset opens a new execution only
 * after the run closed, so a reader that got this far ends here, as one reading through Temporal
 * then would; a reader that starts after the new execution began is sent to Temporal by `storedRun`.
 */
async function endsAt(store: RunStore, runId: string, event: RunEvent | undefined): Promise<boolean> {
  if (!isEndOfLog(event)) return false;
  const row = await store.getRun(runId);
  return !!row && TERMINAL_STATUSES.includes(row.status) && row.last_event_index === event!.event_index;
}

/**
 * Whether the store got events after `after`, or a new row, within `ms`. The row too: a row that
 * ended with the newest event the reader has (see `endsAt`) ends its wait.
 */
function changedWithin(store: RunStore, runId: string, after: number, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal!.reason));
    const timer = setTimeout(() => finish(() => resolve(false)), ms);
    const unsubscribe = store.subscribe(runId, (change) => {
      if (change.kind === 'run' || change.last_event_index > after) finish(() => resolve(true));
    });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Subscribed first: an append between the two is never missed.
    store.lastEventIndex(runId).then(
      (last) => last > after && finish(() => resolve(true)),
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
