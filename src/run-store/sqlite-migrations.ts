/**
 * Runs the embedded store's missing schema steps. BEGIN IMMEDIATE takes the file's write lock
 * before reading which steps ran, so two processes starting at once (a worker and an API) run
 * each step once: the second waits (busy timeout), then finds nothing left to do.
 */
import type { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS_TABLE, SQLITE_MIGRATIONS } from './migrations.ts';

export function migrateSqlite(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(MIGRATIONS_TABLE);
    const done = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((row) => Number(row.version)));
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of SQLITE_MIGRATIONS) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
