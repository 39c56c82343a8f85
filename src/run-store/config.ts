/**
 * The run store's settings, from the environment:
 * - `RUN_STORE`: `sqlite` (default: a file under `DATA_DIR`, nothing to install) or `postgres`;
 * - `RUN_STORE_PATH`: the SQLite file, default `<DATA_DIR or .data>/run-store.sqlite`;
 * - `RUN_STORE_DATABASE_URL`, else `DATABASE_URL`: PostgreSQL's connection string;
 * - `RUN_STORE_MAX_CONNECTIONS`: PostgreSQL's pool size, default 10.
 */
import { join } from 'node:path';
import { PostgresRunStore } from './postgres-run-store.ts';
import type { RunStore } from './run-store.ts';
import { SqliteRunStore } from './sqlite-run-store.ts';

export type RunStoreConfig = { store: 'sqlite'; path: string } | { store: 'postgres'; connectionString: string; maxConnections: number };

export function runStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RunStoreConfig {
  const store = env.RUN_STORE || 'sqlite';
  if (store === 'sqlite') return { store, path: env.RUN_STORE_PATH || join(env.DATA_DIR || '.data', 'run-store.sqlite') };
  if (store !== 'postgres') throw new Error(`RUN_STORE=${store} is not a run store: use sqlite or postgres.`);
  const connectionString = env.RUN_STORE_DATABASE_URL || env.DATABASE_URL;
  if (!connectionString) throw new Error('RUN_STORE=postgres needs RUN_STORE_DATABASE_URL (or DATABASE_URL): postgres://user:password@host:port/database.');
  return { store, connectionString, maxConnections: connectionCount(env.RUN_STORE_MAX_CONNECTIONS) };
}

/** Opens the store and brings its schema up to date. */
export async function openRunStore(config: RunStoreConfig): Promise<RunStore> {
  return config.store === 'sqlite' ? new SqliteRunStore({ path: config.path }) : PostgresRunStore.open(config);
}

function connectionCount(text: string | undefined): number {
  if (text === undefined || text === '') return 10;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`RUN_STORE_MAX_CONNECTIONS=${text} is not a number of connections (1 or more).`);
  return value;
}
