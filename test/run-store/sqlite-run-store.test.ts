/** The run store contract on the embedded store: SQLite files in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe } from 'node:test';
import { SqliteRunStore } from '../../src/run-store/sqlite-run-store.ts';
import { runStoreContract } from './support/run-store-contract.ts';

const folder = mkdtempSync(join(tmpdir(), 'run-store-sqlite-'));
let files = 0;

describe('run store: SQLite', { timeout: 180_000 }, () => {
  after(() => rmSync(folder, { recursive: true, force: true }));
  runStoreContract({
    newLocation: async () => join(folder, `store-${++files}`, 'run-store.sqlite'),
    open: async (path) => new SqliteRunStore({ path }),
    env: (path) => ({ RUN_STORE: 'sqlite', RUN_STORE_PATH: path }),
    async migrationVersions(path) {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        return db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((row) => Number(row.version));
      } finally {
        db.close();
      }
    },
  });
});
