/**
 * The PostgreSQL run store, for production: a database of its own (on the server the Temporal
 * cluster uses, or any), shared by every worker and API process. Writes that change a run notify
 * the others (see postgres-listener.ts).
 */
import pg from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import type { RunEvent } from '../contracts/events.ts';
import { checkNoGap, orderedBatch, warnOfConflicts } from './event-batch.ts';
import { DEFAULT_EVENT_PAGE, DEFAULT_EVENT_PAGE_BYTES, MAX_EVENT_PAGE, pageSize } from './page-limits.ts';
import { PostgresListener, RUN_STORE_CHANNEL } from './postgres-listener.ts';
import type { ChangeNotice } from './postgres-listener.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { RunChangeHub, waitForNewEvents } from './run-changes.ts';
import { countRunsQuery, listQueueQuery, QUEUE_COUNTS_QUERY, queueCountsOf, queueListingOf } from './queue-queries.ts';
import { listRunsQuery, listSessionsQuery, runListOf, sessionListingsOf, sessionTokensQuery, upsertRunQuery } from './run-queries.ts';
import type { Query, SqlDialect } from './run-queries.ts';
import type { AppendResult, EventPage, PutRunResult, ReadEventsOptions, RunChangeListener, RunListListener, RunList, RunListFilters, QueueCounts, QueueListFilters, QueueListing, RunCountFilters, RunRecord, RunStore, SessionListFilters, SessionPage, SlotRequest, StoredRunInput } from './run-store.ts';
import { recordOf, runValues, storedRunInputOf } from './stored-run.ts';
import type { RunRow } from './stored-run.ts';
import { occupiedSlotsQuery, RESERVE_SLOT_SQL, SLOT_LOCK_KEY, slotFree } from './slot-queries.ts';

export interface PostgresRunStoreOptions {
  /** `postgres://user:password@host:port/database` */
  connectionString: string;
  /** Connections of the pool; default 10. */
  maxConnections?: number;
}

const POSTGRES: SqlDialect = {
  param: (n) => `$${n}`,
  containsIgnoringCase: (haystack, needle) => `strpos(lower(${haystack}), lower(${needle})) > 0`,
};

/** The class of the per-run advisory locks that serialise appends to one run (any constant of this store's). */
const APPEND_LOCK_CLASS = 1_920_169_063;

export class PostgresRunStore implements RunStore {
  private readonly pool: pg.Pool;
  private readonly listener: PostgresListener;
  private readonly hub: RunChangeHub;
  private closed = false;

  private constructor(config: PoolConfig) {
    this.pool = new pg.Pool(config);
    // An idle connection the server dropped must not crash the process: the pool replaces it.
    // After close, pg's pool has asked its connections to end without waiting for them: a server stopping then is no news.
    this.pool.on('error', (err) => {
      if (!this.closed) console.error('run store: an idle PostgreSQL connection failed:', err.message);
    });
    this.listener = new PostgresListener(config, this.pool, () => this.hub);
    this.hub = new RunChangeHub((active) => this.listener.setActive(active));
  }

  /** Connects and brings the database's schema up to date. */
  static async open(options: PostgresRunStoreOptions): Promise<PostgresRunStore> {
    const store = new PostgresRunStore({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    try {
      await migratePostgres(store.pool);
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  private async rows(query: Query): Promise<RunRow[]> {
    return (await this.pool.query(query.sql, query.params)).rows;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private notify(client: PoolClient, notice: ChangeNotice): Promise<unknown> {
    return client.query('SELECT pg_notify($1, $2)', [RUN_STORE_CHANNEL, JSON.stringify(notice)]);
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<AppendResult> {
    const batch = orderedBatch(runId, events);
    if (batch.length === 0) return { inserted: 0, duplicates: 0, conflicts: [] };
    const { result, last } = await this.transaction(async (client) => {
      // One appender of a run at a time: a batch that follows one being written waits for it rather than being refused as a gap.
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [APPEND_LOCK_CLASS, runId]);
      const stored = Number((await client.query('SELECT coalesce(max(event_index), -1) AS last FROM run_events WHERE run_id = $1', [runId])).rows[0].last);
      checkNoGap(runId, batch, stored);
      const inserted = await client.query(
        `INSERT INTO run_events (run_id, event_index, body, bytes)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[]) ON CONFLICT DO NOTHING RETURNING event_index`,
        [runId, batch.map((e) => e.index), batch.map((e) => e.body), batch.map((e) => e.bytes)],
      );
      const insertedIndexes = new Set(inserted.rows.map((row) => Number(row.event_index)));
      const repeated = batch.filter((event) => !insertedIndexes.has(event.index));
      const outcome: AppendResult = { inserted: insertedIndexes.size, duplicates: 0, conflicts: [] };
      if (repeated.length > 0) {
        const { rows } = await client.query('SELECT event_index, body FROM run_events WHERE run_id = $1 AND event_index = ANY($2::bigint[])', [runId, repeated.map((e) => e.index)]);
        const bodies = new Map(rows.map((row) => [Number(row.event_index), String(row.body)]));
        for (const event of repeated) {
          if (bodies.get(event.index) === event.body) outcome.duplicates++;
          else outcome.conflicts.push(event.index);
        }
      }
      const last = Math.max(stored, batch.at(-1)!.index);
      if (outcome.inserted > 0) await this.notify(client, { run_id: runId, change: { kind: 'events', last_event_index: last } });
      return { result: outcome, last };
    });
    warnOfConflicts(runId, result.conflicts);
    // This process is told at once, not only through its own LISTEN connection.
    if (result.inserted > 0) this.hub.emit(runId, { kind: 'events', last_event_index: last });
    return result;
  }

  async putRun(record: RunRecord): Promise<PutRunResult> {
    const query = upsertRunQuery(POSTGRES, runValues(record));
    const written = await this.transaction(async (client) => {
      const result = await client.query(`${query.sql} RETURNING run_id`, query.params);
      if (result.rowCount === 1) await this.notify(client, { run_id: record.run_id, change: { kind: 'run' } });
      return result.rowCount === 1;
    });
    if (written) this.hub.emit(record.run_id, { kind: 'run' });
    return written ? 'written' : 'stale';
  }

  async deleteRun(runId: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('DELETE FROM run_events WHERE run_id = $1', [runId]);
      await client.query('DELETE FROM run_inputs WHERE run_id = $1', [runId]);
      await client.query('DELETE FROM run_slots WHERE run_id = $1', [runId]);
      await client.query('DELETE FROM runs WHERE run_id = $1', [runId]);
      await this.notify(client, { run_id: runId, change: { kind: 'run' } });
    });
    this.hub.emit(runId, { kind: 'run' });
  }

  async putRunInput(runId: string, input: StoredRunInput): Promise<void> {
    await this.pool.query('INSERT INTO run_inputs (run_id, request_hash, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [runId, input.requestHash ?? null, JSON.stringify(input.run)]);
  }

  async getRunInput(runId: string): Promise<StoredRunInput | undefined> {
    const [row] = (await this.pool.query('SELECT request_hash, body FROM run_inputs WHERE run_id = $1', [runId])).rows;
    return row ? storedRunInputOf(row) : undefined;
  }

  async setSessionName(sessionId: string, userId: string | undefined, name: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO session_names (session_id, user_key, name, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, user_key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at',
      [sessionId, userId ?? '', name, Date.now() / 1000],
    );
  }

  async getMark(name: string): Promise<string | undefined> {
    const [row] = (await this.pool.query('SELECT value FROM store_marks WHERE name = $1', [name])).rows;
    return row ? String(row.value) : undefined;
  }

  async setMark(name: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO store_marks (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const [row] = (await this.pool.query('SELECT * FROM runs WHERE run_id = $1', [runId])).rows;
    return row ? recordOf(row) : undefined;
  }

  async readEvents(runId: string, options: ReadEventsOptions = {}): Promise<EventPage> {
    const limit = pageSize(options.limit, DEFAULT_EVENT_PAGE, MAX_EVENT_PAGE);
    const maxBytes = options.maxBytes ?? DEFAULT_EVENT_PAGE_BYTES;
    // The byte budget is applied by the server (a running sum), so bodies past it are never sent;
    // the first event is sent whatever its size, and one row more than the page, without its body, tells whether more follow.
    const { rows } = await this.pool.query(
      `SELECT CASE WHEN n <= $3 AND (n = 1 OR running <= $4) THEN body END AS body FROM (
         SELECT event_index, body, row_number() OVER w AS n, sum(bytes) OVER w AS running
         FROM run_events WHERE run_id = $1 AND event_index > $2
         WINDOW w AS (ORDER BY event_index ROWS UNBOUNDED PRECEDING) ORDER BY event_index LIMIT $3 + 1
       ) page ORDER BY event_index`,
      [runId, options.after ?? -1, limit, maxBytes],
    );
    const events: RunEvent[] = [];
    let more = false;
    for (const row of rows) {
      if (row.body === null) {
        more = true;
        break;
      }
      events.push(JSON.parse(String(row.body)));
    }
    return { events, more };
  }

  async lastEventIndex(runId: string): Promise<number> {
    return Number((await this.pool.query('SELECT coalesce(max(event_index), -1) AS last FROM run_events WHERE run_id = $1', [runId])).rows[0].last);
  }

  async listRuns(filters: RunListFilters = {}): Promise<RunList> {
    const query = listRunsQuery(POSTGRES, filters);
    return runListOf(await this.rows(query), query.limit);
  }

  async listSessions(filters: SessionListFilters = {}): Promise<SessionPage> {
    const rows = await this.rows(listSessionsQuery(POSTGRES, filters));
    const total = rows.length > 0 ? Number(rows[0]!.total) : Number((await this.rows(listSessionsQuery(POSTGRES, filters, 'count')))[0]!.total);
    const tokenRows = rows.length > 0 ? await this.rows(sessionTokensQuery(POSTGRES, filters, rows.map((row) => String(row.session_id)))) : [];
    return { sessions: sessionListingsOf(rows, tokenRows), total };
  }

  async listQueue(filters: QueueListFilters): Promise<QueueListing> {
    return queueListingOf((await this.rows(listQueueQuery(POSTGRES, filters))));
  }

  async queueCounts(): Promise<QueueCounts> {
    return queueCountsOf((await this.rows(QUEUE_COUNTS_QUERY)));
  }

  async countRuns(filters: RunCountFilters, atMost: number): Promise<number> {
    return Number((await this.rows(countRunsQuery(POSTGRES, filters, atMost)))[0]!.n);
  }

  async reserveRunSlot(request: SlotRequest): Promise<boolean> {
    return this.transaction(async (client) => {
      // One reservation at a time in the deployment, held to the transaction's end: a count then an insert races otherwise.
      await client.query('SELECT pg_advisory_xact_lock($1)', [SLOT_LOCK_KEY]);
      const now = Date.now() / 1000;
      const occupied: number[] = [];
      for (const userId of [undefined, ...(request.userId !== undefined ? [request.userId] : [])]) {
        const query = occupiedSlotsQuery(POSTGRES, request.runId, now, request.leaseSeconds, userId);
        occupied.push(Number((await client.query(query.sql, query.params)).rows[0].n));
      }
      if (!slotFree(request, (userId) => occupied[userId === undefined ? 0 : 1]!)) return false;
      await client.query(RESERVE_SLOT_SQL(POSTGRES), [request.runId, request.userId ?? null, now + request.leaseSeconds]);
      return true;
    });
  }

  async releaseRunSlot(runId: string): Promise<void> {
    await this.pool.query('DELETE FROM run_slots WHERE run_id = $1', [runId]);
  }

  subscribeList(listener: RunListListener): () => void {
    return this.hub.subscribeList(listener);
  }

  subscribe(runId: string, listener: RunChangeListener): () => void {
    return this.hub.subscribe(runId, listener);
  }

  waitForEvents(runId: string, after: number, signal?: AbortSignal): Promise<number> {
    return waitForNewEvents(this, runId, after, signal);
  }

  /** Resolves once changes of other processes are heard (when anyone listens). */
  listening(): Promise<void> {
    return this.listener.ready();
  }

  async checkReady(): Promise<string> {
    // A read of the table every GET reads, through the pool the reads use: the server answers, the schema is there.
    await this.pool.query('SELECT 1 FROM runs LIMIT 1');
    return 'postgres';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener.stop();
    await this.pool.end();
  }
}
