/**
 * The store's schema, as versioned steps per database. A step, once released, never changes: a
 * change of schema is a new step. Each database records the steps it ran in `schema_migrations`,
 * and the runners (sqlite-migrations.ts, postgres-migrations.ts) run the missing ones at start,
 * one process at a time.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Shared by both: the tables, in each database's types. */
function initialSchema(types: { seq: string; real: string; integer: string; withoutRowid: string }): string {
  return `
    CREATE TABLE runs (
      seq ${types.seq},
      run_id TEXT NOT NULL UNIQUE,
      workflow_id TEXT NOT NULL,
      workflow_name TEXT NOT NULL,
      session_id TEXT NOT NULL,
      user_id TEXT,
      input TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at ${types.real} NOT NULL,
      updated_at ${types.real} NOT NULL,
      state TEXT NOT NULL,
      last_event_index ${types.integer} NOT NULL,
      revision ${types.integer} NOT NULL,
      tokens TEXT,
      metadata TEXT
    );
    CREATE INDEX runs_newest ON runs (created_at DESC, seq DESC);
    CREATE INDEX runs_by_workflow ON runs (workflow_id, created_at DESC, seq DESC);
    CREATE INDEX runs_by_session ON runs (session_id, created_at DESC, seq DESC);
    CREATE INDEX runs_by_user ON runs (user_id, created_at DESC, seq DESC);
    CREATE INDEX runs_by_status ON runs (status, created_at DESC, seq DESC);
    CREATE TABLE run_events (
      run_id TEXT NOT NULL,
      event_index ${types.integer} NOT NULL,
      body TEXT NOT NULL,
      bytes ${types.integer} NOT NULL,
      PRIMARY KEY (run_id, event_index)
    )${types.withoutRowid};
    CREATE TABLE session_names (
      session_id TEXT NOT NULL,
      user_key TEXT NOT NULL,
      name TEXT NOT NULL,
      updated_at ${types.real} NOT NULL,
      PRIMARY KEY (session_id, user_key)
    )${types.withoutRowid};`;
}

/** What the store notes of itself (see `RunStore.getMark`), the same in both. */
const STORE_MARKS = 'CREATE TABLE store_marks (name TEXT PRIMARY KEY, value TEXT NOT NULL)';
/** Which Temporal execution wrote a run's row (see `RunRecord.execution_id`), the same in both. */
const EXECUTION_COLUMN = 'ALTER TABLE runs ADD COLUMN execution_id TEXT';
/** What a run was started with, beside its row (see `RunStore.putRunInput`), the same in both. */
const RUN_INPUTS = 'CREATE TABLE run_inputs (run_id TEXT PRIMARY KEY, request_hash TEXT, body TEXT NOT NULL)';
/** The concurrency cap's reservations (see `RunStore.reserveRunSlot`), in each database's types. */
const runSlots = (real: string) => `CREATE TABLE run_slots (run_id TEXT PRIMARY KEY, user_id TEXT, lease_until ${real} NOT NULL)`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  // AUTOINCREMENT: `seq` is never reused after a delete, so it keeps the order runs were first stored in.
  { version: 1, name: 'runs, events and session names', sql: initialSchema({ seq: 'INTEGER PRIMARY KEY AUTOINCREMENT', real: 'REAL', integer: 'INTEGER', withoutRowid: ' WITHOUT ROWID' }) },
  { version: 2, name: 'store marks', sql: STORE_MARKS },
  { version: 3, name: 'the execution that wrote a run', sql: EXECUTION_COLUMN },
  { version: 4, name: 'what a run was started with', sql: RUN_INPUTS },
  { version: 5, name: 'slots under the concurrency cap', sql: runSlots('REAL') },
];

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'runs, events and session names', sql: initialSchema({ seq: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', real: 'DOUBLE PRECISION', integer: 'BIGINT', withoutRowid: '' }) },
  { version: 2, name: 'store marks', sql: STORE_MARKS },
  { version: 3, name: 'the execution that wrote a run', sql: EXECUTION_COLUMN },
  { version: 4, name: 'what a run was started with', sql: RUN_INPUTS },
  { version: 5, name: 'slots under the concurrency cap', sql: runSlots('DOUBLE PRECISION') },
];

/** The table that records the steps run, in both databases. */
export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`;
