/**
 * The embedded run store: one SQLite file (`node:sqlite`, built into Node: nothing to install),
 * in WAL mode so that readers never wait for a writer, with a busy timeout so that a worker
 * process and an API process can share the file. `node:sqlite` is synchronous: each call holds
 * this process's event loop for one short statement (a page of events, a batch insert), which the
 * limits of pages keep short; the PostgreSQL store is the one for production.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import type { RunEvent } from '../contracts/events.ts';
import { checkNoGap, orderedBatch, warnOfConflicts } from './event-batch.ts';
import { DEFAULT_EVENT_PAGE, DEFAULT_EVENT_PAGE_BYTES, MAX_EVENT_PAGE, pageSize } from './page-limits.ts';
import { RunChangeHub, waitForNewEvents } from './run-changes.ts';
import { countRunsQuery, listQueueQuery, QUEUE_COUNTS_QUERY, queueCountsOf, queueListingOf } from './queue-queries.ts';
import { listRunsQuery, listSessionsQuery, runListOf, sessionListingsOf, sessionTokensQuery, upsertRunQuery } from './run-queries.ts';
import type { Query, SqlDialect } from './run-queries.ts';
import type { AppendResult, EventPage, PutRunResult, ReadEventsOptions, RunChangeListener, RunListListener, RunList, RunListFilters, QueueCounts, QueueListFilters, QueueListing, RunCountFilters, RunRecord, RunStore, SessionListFilters, SessionPage, SlotRequest, StoredRunInput } from './run-store.ts';
import { SqliteChangePoll } from './sqlite-change-poll.ts';
import { migrateSqlite } from './sqlite-migrations.ts';
import { recordOf, runValues, storedRunInputOf } from './stored-run.ts';
import type { RunRow } from './stored-run.ts';
import { occupiedSlotsQuery, RESERVE_SLOT_SQL, slotFree } from './slot-queries.ts';

export interface SqliteRunStoreOptions {
  /** The database file; created with its folder when missing. */
  path: string;
  /** How long a statement waits for another process's write lock; default 5 s. */
  busyTimeoutMs?: number;
}

const SQLITE: SqlDialect = {
  param: (n) => `?${n}`,
  containsIgnoringCase: (haystack, needle) => `instr(lower(${haystack}), lower(${needle})) > 0`,
};

export class SqliteRunStore implements RunStore {
  private readonly db: DatabaseSync;
  private readonly poll: SqliteChangePoll;
  private readonly hub: RunChangeHub;
  /** Statements of fixed SQL, compiled once: a read of a run per request (a thousand streams connecting) compiled its SELECT each time. */
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;

  /** Opens (creating) the file and brings its schema up to date. */
  constructor(options: SqliteRunStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.db = new DatabaseSync(options.path, { timeout: busyTimeoutMs });
    try {
      turnToWal(this.db, busyTimeoutMs);
      // In WAL mode NORMAL loses no committed transaction to a crash of the process, only to one of the machine.
      this.db.exec('PRAGMA synchronous = NORMAL');
      migrateSqlite(this.db);
      this.poll = new SqliteChangePoll(this.db, () => this.hub);
      this.hub = new RunChangeHub((active) => this.poll.setActive(active));
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private all(query: Query): RunRow[] {
    return this.db.prepare(query.sql).all(...(query.params as never[])) as RunRow[];
  }

  /** `work` in one write transaction, taken at once (BEGIN IMMEDIATE) so that its reads see what it writes over. */
  private writing<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<AppendResult> {
    const batch = orderedBatch(runId, events);
    if (batch.length === 0) return { inserted: 0, duplicates: 0, conflicts: [] };
    const result = this.writing(() => {
      checkNoGap(runId, batch, this.lastIndex(runId));
      const insert = this.statement('INSERT INTO run_events (run_id, event_index, body, bytes) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
      const stored = this.statement('SELECT body FROM run_events WHERE run_id = ? AND event_index = ?');
      const outcome: AppendResult = { inserted: 0, duplicates: 0, conflicts: [] };
      for (const event of batch) {
        if (insert.run(runId, event.index, event.body, event.bytes).changes === 1) outcome.inserted++;
        else if (stored.get(runId, event.index)!.body === event.body) outcome.duplicates++;
        else outcome.conflicts.push(event.index);
      }
      return outcome;
    });
    warnOfConflicts(runId, result.conflicts);
    if (result.inserted > 0) this.hub.emit(runId, { kind: 'events', last_event_index: await this.lastEventIndex(runId) });
    return result;
  }

  async putRun(record: RunRecord): Promise<PutRunResult> {
    const query = upsertRunQuery(SQLITE, runValues(record));
    const written = this.db.prepare(query.sql).run(...(query.params as never[])).changes === 1;
    if (written) this.hub.emit(record.run_id, { kind: 'run' });
    return written ? 'written' : 'stale';
  }

  async deleteRun(runId: string): Promise<void> {
    this.writing(() => {
      this.statement('DELETE FROM run_events WHERE run_id = ?').run(runId);
      this.statement('DELETE FROM run_inputs WHERE run_id = ?').run(runId);
      this.statement('DELETE FROM run_slots WHERE run_id = ?').run(runId);
      this.statement('DELETE FROM runs WHERE run_id = ?').run(runId);
    });
    this.hub.emit(runId, { kind: 'run' });
  }

  async putRunInput(runId: string, input: StoredRunInput): Promise<void> {
    this.statement('INSERT INTO run_inputs (run_id, request_hash, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(runId, input.requestHash ?? null, JSON.stringify(input.run));
  }

  async getRunInput(runId: string): Promise<StoredRunInput | undefined> {
    const row = this.statement('SELECT request_hash, body FROM run_inputs WHERE run_id = ?').get(runId);
    return row ? storedRunInputOf(row) : undefined;
  }

  async setSessionName(sessionId: string, userId: string | undefined, name: string): Promise<void> {
    this
      .statement('INSERT INTO session_names (session_id, user_key, name, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at')
      .run(sessionId, userId ?? '', name, Date.now() / 1000);
  }

  async getMark(name: string): Promise<string | undefined> {
    const row = this.statement('SELECT value FROM store_marks WHERE name = ?').get(name);
    return row ? String(row.value) : undefined;
  }

  async setMark(name: string, value: string): Promise<void> {
    this.statement('INSERT INTO store_marks (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.statement('SELECT * FROM runs WHERE run_id = ?').get(runId);
    return row ? recordOf(row) : undefined;
  }

  async readEvents(runId: string, options: ReadEventsOptions = {}): Promise<EventPage> {
    const limit = pageSize(options.limit, DEFAULT_EVENT_PAGE, MAX_EVENT_PAGE);
    const maxBytes = options.maxBytes ?? DEFAULT_EVENT_PAGE_BYTES;
    const rows = this.statement('SELECT body, bytes FROM run_events WHERE run_id = ? AND event_index > ? ORDER BY event_index LIMIT ?');
    const events: RunEvent[] = [];
    let bytes = 0;
    let more = false;
    // Lazily, one row at a time: rows past the byte budget are never read.
    for (const row of rows.iterate(runId, options.after ?? -1, limit + 1)) {
      bytes += Number(row.bytes);
      if (events.length === limit || (events.length > 0 && bytes > maxBytes)) {
        more = true;
        break;
      }
      events.push(JSON.parse(String(row.body)));
    }
    return { events, more };
  }

  private lastIndex(runId: string): number {
    return Number(this.statement('SELECT coalesce(max(event_index), -1) AS last FROM run_events WHERE run_id = ?').get(runId)!.last);
  }

  async lastEventIndex(runId: string): Promise<number> {
    return this.lastIndex(runId);
  }

  async listRuns(filters: RunListFilters = {}): Promise<RunList> {
    const query = listRunsQuery(SQLITE, filters);
    return runListOf(this.all(query), query.limit);
  }

  async listSessions(filters: SessionListFilters = {}): Promise<SessionPage> {
    const rows = this.all(listSessionsQuery(SQLITE, filters));
    const total = rows.length > 0 ? Number(rows[0]!.total) : Number(this.all(listSessionsQuery(SQLITE, filters, 'count'))[0]!.total);
    const tokenRows = rows.length > 0 ? this.all(sessionTokensQuery(SQLITE, filters, rows.map((row) => String(row.session_id)))) : [];
    return { sessions: sessionListingsOf(rows, tokenRows), total };
  }

  async listQueue(filters: QueueListFilters): Promise<QueueListing> {
    return queueListingOf(this.all(listQueueQuery(SQLITE, filters)));
  }

  async queueCounts(): Promise<QueueCounts> {
    return queueCountsOf(this.all(QUEUE_COUNTS_QUERY));
  }

  async countRuns(filters: RunCountFilters, atMost: number): Promise<number> {
    return Number(this.all(countRunsQuery(SQLITE, filters, atMost))[0]!.n);
  }

  async reserveRunSlot(request: SlotRequest): Promise<boolean> {
    const now = Date.now() / 1000;
    // The write lock, taken before counting, serialises reservations across processes sharing the file.
    return this.writing(() => {
      if (!slotFree(request, (userId) => Number(this.all(occupiedSlotsQuery(SQLITE, request.runId, now, request.leaseSeconds, userId))[0]!.n))) return false;
      this.statement(RESERVE_SLOT_SQL(SQLITE)).run(request.runId, request.userId ?? null, now + request.leaseSeconds);
      return true;
    });
  }

  async releaseRunSlot(runId: string): Promise<void> {
    this.statement('DELETE FROM run_slots WHERE run_id = ?').run(runId);
  }

  subscribeList(listener: RunListListener): () => void {
    return this.hub.subscribeList(listener);
  }

  subscribe(runId: string, listener: RunChangeListener): () => void {
    const unsubscribe = this.hub.subscribe(runId, listener);
    this.poll.remember(runId);
    return unsubscribe;
  }

  waitForEvents(runId: string, after: number, signal?: AbortSignal): Promise<number> {
    return waitForNewEvents(this, runId, after, signal);
  }

  async checkReady(): Promise<string> {
    // A read of the table every GET reads: the file is there, readable, and migrated.
    this.statement('SELECT 1 FROM runs LIMIT 1').get();
    return 'sqlite';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poll.stop();
    this.db.close();
  }
}

/** SQLite's "database is locked". */
const SQLITE_BUSY = 5;

/**
 * Puts the file in WAL mode. Processes opening a new file together race to convert it, and the
 * loser may be told "database is locked" at once: SQLite does not wait (busy timeout) for this
 * change. It is tried again, 20 ms apart, within the busy timeout.
 */
function turnToWal(db: DatabaseSync, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { errcode?: number }).errcode !== SQLITE_BUSY || Date.now() >= deadline) throw err;
      // The constructor is synchronous, as the driver is: a short blocking pause.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
