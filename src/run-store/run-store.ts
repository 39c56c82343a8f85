/**
 * The run store: the system of record for reads of runs. Each run's row (status, output state,
 * session, tokens) and its whole event log, as the run's workflow made them (big texts stay
 * references into the blob store, see contracts/text-refs.ts), written only from committed state,
 * so that reads (GET, lists, sessions, stream tails and replays) never ask a worker.
 *
 * Writes are idempotent and monotonic, so a retried task or activity, a reset, a retry of a failed
 * run, continue-as-new or a worker crash write each event once, in order, gapless:
 * - `appendEvents` stores each (run, event index) once: an index already stored is never replaced;
 *   a batch that would leave a hole is refused.
 * - `putRun` replaces the run's row only with a record that is not older (see `RunRecord.revision`).
 *
 * Two implementations behind this one interface: an embedded default on `node:sqlite` (nothing to
 * install) and PostgreSQL for production (see config.ts).
 */
import type { RunEvent, RunState, RunStatus, RunSummary } from '../contracts/events.ts';
import type { TokenTotals } from '../contracts/token-totals.ts';
import type { RunInput } from '../contracts/plan.ts';

/** A run's row: what lists show and a GET returns, without its events. */
export interface RunRecord {
  run_id: string;
  /** The workflow definition's id. */
  workflow_id: string;
  workflow_name: string;
  /** '' for a run of no session. */
  session_id: string;
  user_id?: string;
  input: string;
  status: RunStatus;
  /** Unix seconds: the run's start, and the time of this record. */
  created_at: number;
  updated_at: number;
  /** The run's state as its workflow holds it (the `state` query's answer, from committed state). */
  state: RunState;
  /** Index of the newest event this record reflects, -1 before the first. */
  last_event_index: number;
  /**
   * Orders records of the same `last_event_index` (a status change without an event, tokens added):
   * any number the writer increases with each write of the run. A record replaces the stored one
   * only when (`last_event_index`, `revision`) is not lower: a retried or late write never regresses a run.
   */
  revision: number;
  tokens?: TokenTotals;
  metadata?: Record<string, unknown>;
  /**
   * The Temporal execution (its run id) whose workflow wrote this row; absent for rows written
   * outside one (a start, a reader). Tells the execution that ended a run, still closing, from a
   * retry or a reset of it that began since.
   */
  execution_id?: string;
}

/** What `putRun` did: `stale` when the stored record was newer and stays. */
export type PutRunResult = 'written' | 'stale';

export interface AppendResult {
  /** Events stored by this call. */
  inserted: number;
  /** Events that were there already, as they are now (a retried write). */
  duplicates: number;
  /**
   * Indexes already stored with other content. Committed state never does this; the stored event
   * stays (readers may have seen it) and the writer is told, not failed.
   */
  conflicts: number[];
}

export interface ReadEventsOptions {
  /** Events after this index; default -1 (from the first). */
  after?: number;
  /** At most this many events; default 1000. */
  limit?: number;
  /** At most about this many bytes of JSON; the first event of a page is returned whatever its size. */
  maxBytes?: number;
}

export interface EventPage {
  events: RunEvent[];
  /** Whether stored events follow this page. */
  more: boolean;
}

/** Filters of `listRuns`, combined with AND; the engine's `RunFilters` and a cursor. */
export interface RunListFilters {
  /** The workflow definition's id. */
  workflowId?: string;
  sessionId?: string;
  userId?: string;
  status?: RunStatus;
  /** Most runs returned; default 100, at most 1000. */
  limit?: number;
  /** From `RunList.cursor` of the previous page. */
  cursor?: string;
}

export interface RunList {
  /** Newest first by `created_at`, runs started in the same second newest first by the order they were first stored. */
  runs: RunSummary[];
  /** Present when more runs follow: pass it as `cursor` for the next page. */
  cursor?: string;
}

export interface SessionListFilters {
  userId?: string;
  workflowId?: string;
  sessionId?: string;
  /** Sessions whose name (the one given, else the first run's input) contains this, ignoring case. */
  nameContains?: string;
  /** Default `created_at` (the first run's start); `updated_at` is the last run's start. */
  sortBy?: 'created_at' | 'updated_at';
  /** Default `desc`. */
  sortOrder?: 'asc' | 'desc';
  /** Default 20; at most 1000. */
  limit?: number;
  /** Sessions skipped; default 0. */
  offset?: number;
}

/** A session as lists show it: its runs in the filters' view, grouped. */
export interface SessionListing {
  session_id: string;
  /** Of the session's first run. */
  workflow_id: string;
  workflow_name: string;
  user_id?: string;
  /** The name given to it (by the first run's user), if any. */
  session_name?: string;
  /** The first run's input (AgentOS names an unnamed session after it). */
  first_input: string;
  run_count: number;
  /** Unix seconds: the first run's start and the last run's start. */
  created_at: number;
  updated_at: number;
  /** Every run's tokens summed, and per model. */
  tokens: TokenTotals;
}

export interface SessionPage {
  sessions: SessionListing[];
  /** Sessions matching the filters in all (for page counts). */
  total: number;
}

/** Filters of `listQueue` (`GET /jobs`), combined with AND. */
export interface QueueListFilters {
  runId?: string;
  /** Any of these. */
  statuses?: RunStatus[];
  /** Any of these. */
  sessionIds?: string[];
  userId?: string;
  sortBy?: 'created_at' | 'updated_at';
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A run's row, and for a run waiting to start its place in its session's queue: 1 is the next to start. */
export type QueuedRunRecord = RunRecord & { queue_position?: number };

export interface QueueListing {
  runs: QueuedRunRecord[];
  /** Runs matching the filters in all (for page counts). */
  total: number;
}

export interface QueueCounts {
  /** Runs by status. */
  counts: Partial<Record<RunStatus, number>>;
  /** Unix seconds: the start of the oldest run still waiting (PENDING), if one is. */
  oldestPendingAt?: number;
}

export interface RunCountFilters {
  status: RunStatus;
  userId?: string;
}

/**
 * What a run was started with, kept beside its row by whoever starts it: its workflow input (the
 * plan and settings; a big message as its reference), and for a start with an idempotency key
 * the hash of the request, which a reuse of the key is checked against.
 */
export interface StoredRunInput {
  run: RunInput;
  requestHash?: string;
}

/** The deployment's caps on runs executing at once (MAX_CONCURRENCY, MAX_CONCURRENCY_PER_USER); 0: no cap. */
export interface RunCaps {
  /** Runs executing at once in the deployment (Agno's `max_concurrency`). */
  maxConcurrency: number;
  /** Runs executing at once per user. */
  maxConcurrencyPerUser: number;
}

export interface SlotRequest {
  runId: string;
  userId?: string;
  caps: RunCaps;
  /** How long an unreleased reservation holds before its run's row is written, and after its run's end. */
  leaseSeconds: number;
}

/** What changed: new events (the newest index now stored), or the run's row. */
export type RunChange = { kind: 'events'; last_event_index: number } | { kind: 'run' };
export type RunChangeListener = (change: RunChange) => void;
/** Told a run whose row changed; `undefined` when another process wrote and which run is not known. */
export type RunListListener = (runId: string | undefined) => void;

export interface RunStore {
  appendEvents(runId: string, events: readonly RunEvent[]): Promise<AppendResult>;
  putRun(record: RunRecord): Promise<PutRunResult>;
  /** Removes the run's row, its events, its input and nothing else. */
  deleteRun(runId: string): Promise<void>;
  /** Keeps what the run was started with; the first one kept stays (a run is started once). */
  putRunInput(runId: string, input: StoredRunInput): Promise<void>;
  /** What the run was started with, if its start kept it (runs started by a schedule, or before the store kept inputs, have none). */
  getRunInput(runId: string): Promise<StoredRunInput | undefined>;
  /** The name a user (or none) gave a session; listed by `listSessions`. */
  setSessionName(sessionId: string, userId: string | undefined, name: string): Promise<void>;
  /** What the store notes of itself, by name (such as when the runs before it were back-filled); undefined if never set. */
  getMark(name: string): Promise<string | undefined>;
  setMark(name: string, value: string): Promise<void>;

  getRun(runId: string): Promise<RunRecord | undefined>;
  readEvents(runId: string, options?: ReadEventsOptions): Promise<EventPage>;
  /** The newest stored event's index, -1 when none is. */
  lastEventIndex(runId: string): Promise<number>;
  listRuns(filters?: RunListFilters): Promise<RunList>;
  listSessions(filters?: SessionListFilters): Promise<SessionPage>;
  /** Runs as the queue's views show them (see queue-queries.ts). */
  listQueue(filters: QueueListFilters): Promise<QueueListing>;
  queueCounts(): Promise<QueueCounts>;
  /** The runs of a status (and user), counted up to `atMost`. */
  countRuns(filters: RunCountFilters, atMost: number): Promise<number>;
  /**
   * Reserves a slot under the caps for the run about to start, when one is free: counted and
   * taken in one transaction that serialises reservations (SQLite's write lock, a PostgreSQL
   * advisory lock), so two queues asking at once never both take the last slot (see slot-queries.ts).
   */
  reserveRunSlot(request: SlotRequest): Promise<boolean>;
  /** Gives the run's slot back (its run has ended); a run with none is left as it is. */
  releaseRunSlot(runId: string): Promise<void>;

  /**
   * Tells `listener` of the run's changes, also those written by other processes (the embedded
   * store's file shared by a worker and an API process, or PostgreSQL's LISTEN/NOTIFY). Returns
   * the unsubscribe. A change may be told more than once, or coalesced: listeners read what they need.
   */
  subscribe(runId: string, listener: RunChangeListener): () => void;
  /**
   * Tells `listener` when any run's row may have changed (a run started, changed status, was
   * deleted), also by other processes; coalesced or told more than once. Returns the unsubscribe.
   */
  subscribeList(listener: RunListListener): () => void;
  /**
   * Resolves with the newest stored index once it is beyond `after` (at once when it already is);
   * rejects with the signal's reason when aborted.
   */
  waitForEvents(runId: string, after: number, signal?: AbortSignal): Promise<number>;
  /**
   * A cheap read, for the API's readiness: resolves with the store's kind (`sqlite`, `postgres`)
   * when it answers, rejects with why not. `signal` aborts at the readiness deadline.
   */
  checkReady(signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/** A batch that would leave a hole in a run's log: a writer's bug, refused so the log never has one. */
export class EventGapError extends Error {
  constructor(runId: string, first: number, stored: number) {
    super(`Run ${runId}: events from index ${first} refused, the store holds up to ${stored}: appending them would leave a gap (events ${stored + 1}..${first - 1} are missing).`);
    this.name = 'EventGapError';
  }
}
