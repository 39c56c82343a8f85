/**
 * The run store contract on PostgreSQL: a throwaway server started for this file, a database
 * per test. Skipped, loudly, without PostgreSQL; in CI it runs, and fails there without it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresRunStore } from '../../src/run-store/postgres-run-store.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { postgresMissing, startPostgres } from '../support/postgres-server.ts';
import type { PostgresServer } from '../support/postgres-server.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { stepEvents } from './support/records.ts';
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

describe('run store: PostgreSQL, its LISTEN connection lost', { skip, timeout: 120_000 }, () => {
  let lostServer: PostgresServer;
  before(async () => {
    lostServer = await startPostgres();
  });
  after(async () => {
    await lostServer?.stop();
  });

  it('listens again and tells what was written while it was gone', async () => {
    const connectionString = await lostServer.createDatabase();
    const writer = await PostgresRunStore.open({ connectionString });
    const reader = await PostgresRunStore.open({ connectionString });
    const admin = new pg.Client({ connectionString });
    try {
      await admin.connect();
      await writer.appendEvents('r', stepEvents('r', 0, 1));
      const unsubscribe = reader.subscribe('r', () => {});
      await reader.listening();
      const listeners = () => admin.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'");
      const { rows } = await listeners();
      assert.equal(rows.length, 1, 'the reader listens on one connection');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      // Written while the reader's connection is gone: no notification reaches it.
      const waiting = reader.waitForEvents('r', 0);
      await writer.appendEvents('r', stepEvents('r', 1, 1));
      assert.equal(await withDeadline('the reader told of event 1 after listening again', waiting, 20_000), 1);
      await waitUntil('the reader listening on a new connection', async () => (await listeners()).rows.some((row) => row.pid !== rows[0].pid));
      const next = reader.waitForEvents('r', 1);
      await writer.appendEvents('r', stepEvents('r', 2, 1));
      assert.equal(await withDeadline('the reader told of event 2', next, 10_000), 2);
      unsubscribe();
    } finally {
      await admin.end();
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
