/**
 * The run store contract on PostgreSQL: a throwaway server started for this file, a database
 * per test. Skipped, loudly, without PostgreSQL; in CI it runs, and fails there without it.
 */
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { PostgresRunStore } from '../../src/run-store/postgres-run-store.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { postgresMissing, startPostgres } from '../support/postgres-server.ts';
import type { PostgresServer } from '../support/postgres-server.ts';
import { runStoreContract } from './support/run-store-contract.ts';

const skip = skipWithoutTool('test/run-store/postgres-run-store.test.ts', postgresMissing());
let server: PostgresServer;

describe('run store: PostgreSQL', { skip, timeout: 300_000 }, () => {
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });
  runStoreContract({
    newLocation: () => server.createDatabase(),
    async open(connectionString) {
      const store = await PostgresRunStore.open({ connectionString });
      return store;
    },
    env: (connectionString) => ({ RUN_STORE: 'postgres', RUN_STORE_DATABASE_URL: connectionString }),
    async migrationVersions(connectionString) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        return (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => Number(row.version));
      } finally {
        await client.end();
      }
    },
  });
});
