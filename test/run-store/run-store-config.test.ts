/** Which run store the environment names, and the errors that say what a wrong setting lacks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStoreConfigFromEnv } from '../../src/run-store/config.ts';

describe('run store settings', () => {
  it('default to a SQLite file under DATA_DIR (or .data), or RUN_STORE_PATH', () => {
    assert.deepEqual(runStoreConfigFromEnv({}), { store: 'sqlite', path: '.data/run-store.sqlite' });
    assert.deepEqual(runStoreConfigFromEnv({ DATA_DIR: '/var/lib/agents' }), { store: 'sqlite', path: '/var/lib/agents/run-store.sqlite' });
    assert.deepEqual(runStoreConfigFromEnv({ RUN_STORE: 'sqlite', RUN_STORE_PATH: '/tmp/x.sqlite' }), { store: 'sqlite', path: '/tmp/x.sqlite' });
  });

  it('name PostgreSQL by RUN_STORE_DATABASE_URL, else DATABASE_URL', () => {
    assert.deepEqual(runStoreConfigFromEnv({ RUN_STORE: 'postgres', DATABASE_URL: 'postgres://a/b', RUN_STORE_DATABASE_URL: 'postgres://c/d', RUN_STORE_MAX_CONNECTIONS: '4' }), {
      store: 'postgres',
      connectionString: 'postgres://c/d',
      maxConnections: 4,
    });
    assert.deepEqual(runStoreConfigFromEnv({ RUN_STORE: 'postgres', DATABASE_URL: 'postgres://a/b' }), { store: 'postgres', connectionString: 'postgres://a/b', maxConnections: 10 });
  });

  it('refuse what is not a store, a missing URL and a bad pool size, saying what to set', () => {
    assert.throws(() => runStoreConfigFromEnv({ RUN_STORE: 'mysql' }), /RUN_STORE=mysql is not a run store: use sqlite or postgres/);
    assert.throws(() => runStoreConfigFromEnv({ RUN_STORE: 'postgres' }), /needs RUN_STORE_DATABASE_URL \(or DATABASE_URL\)/);
    assert.throws(() => runStoreConfigFromEnv({ RUN_STORE: 'postgres', DATABASE_URL: 'postgres://a/b', RUN_STORE_MAX_CONNECTIONS: '0' }), /RUN_STORE_MAX_CONNECTIONS=0 is not a number of connections/);
  });
});
