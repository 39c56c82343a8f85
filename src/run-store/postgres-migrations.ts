/**
 * Runs the PostgreSQL store's missing schema steps, each in its own transaction, under a
 * session-level advisory lock: processes starting at once (API replicas, workers) take turns,
 * and each after the first finds nothing left to do.
 */
import type { Pool } from 'pg';
import { MIGRATIONS_TABLE, POSTGRES_MIGRATIONS } from './migrations.ts';

/** The advisory lock's key: any constant no other code of this database uses ("runstore" in ASCII, cut to 63 bits). */
export const MIGRATION_LOCK_KEY = '7959109571845239666';

export async function migratePostgres(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(MIGRATIONS_TABLE);
      const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((row) => Number(row.version)));
      for (const migration of POSTGRES_MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, new Date().toISOString()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
