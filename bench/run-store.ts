/**
 * The run store's own costs, on each implementation: appending a run's events (one event a write,
 * as a workflow that flushes every event would; and batches of 20), reading a 2,000-event run
 * back, a GET's row, a session's 30 runs among 1,000, the sessions list, and how soon a tail in
 * another process's view (a second store on the same file or database) hears of a new event.
 * PostgreSQL runs as a throwaway server with fsync on (skipped when it is not installed).
 *
 *   node bench/run-store.ts [--events 2000] [--reads 40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { PostgresRunStore } from '../src/run-store/postgres-run-store.ts';
import type { RunStore } from '../src/run-store/run-store.ts';
import { SqliteRunStore } from '../src/run-store/sqlite-run-store.ts';
import { postgresMissing, startPostgres } from '../test/support/postgres-server.ts';
import { runRecord, stepEvents, tokens } from '../test/run-store/support/records.ts';
import { printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '2000' }, reads: { type: 'string', default: '40' } } });
const eventCount = Number(values.events);
const reads = Number(values.reads);

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function samples(count: number, work: () => Promise<unknown>): Promise<number[]> {
  const taken: number[] = [];
  for (let i = 0; i < count; i++) taken.push(await time(work));
  return taken;
}

/** Events per second appending `eventCount` events `batch` at a time. */
async function appendRate(store: RunStore, runId: string, batch: number): Promise<number> {
  const ms = await time(async () => {
    for (let from = 0; from < eventCount; from += batch) await store.appendEvents(runId, stepEvents(runId, from, Math.min(batch, eventCount - from)));
  });
  return (eventCount / ms) * 1000;
}

async function measure(name: string, store: RunStore, other: RunStore): Promise<{ appends: Row[]; reads: Row[] }> {
  const perEvent = await appendRate(store, 'one-by-one', 1);
  const batched = await appendRate(store, 'batched', 20);
  for (let i = 0; i < 1000; i++) {
    const inSession = i % 33 === 0 || i < 30;
    await store.putRun(runRecord(`run-${i}`, { session_id: inSession ? 'the-session' : `s-${i % 100}`, user_id: 'u', created_at: 1_000 + i, status: 'COMPLETED', tokens: tokens(10, 20, 'gpt') }));
  }
  const readLog = async () => {
    let after = -1;
    for (;;) {
      const page = await store.readEvents('batched', { after });
      after = page.events.at(-1)?.event_index ?? after;
      if (!page.more) return;
    }
  };
  const wake: number[] = [];
  for (let i = 0; i < reads; i++) {
    const next = eventCount + i;
    const waiting = other.waitForEvents('batched', next - 1);
    // Writes come at any moment, not in step with SQLite's poll (which the wake-up before just ended).
    await delay(Math.random() * 60);
    const started = performance.now();
    await store.appendEvents('batched', stepEvents('batched', next, 1));
    await waiting;
    wake.push(performance.now() - started);
  }
  const row = (what: string, taken: number[]) => ({ store: name, what, 'p50 ms': summarize(taken).p50, 'max ms': summarize(taken).max });
  const appends = [
    { store: name, what: `append ${eventCount} events, one a write`, 'events/s': Math.round(perEvent) },
    { store: name, what: `append ${eventCount} events, 20 a write`, 'events/s': Math.round(batched) },
  ];
  return {
    appends,
    reads: [
    row(`read ${eventCount} events (pages of 1000)`, await samples(reads, readLog)),
    row('GET a run row', await samples(reads, () => store.getRun('run-500'))),
    row('a session of 30+ runs, among 1,000', await samples(reads, () => store.listRuns({ sessionId: 'the-session', limit: 100 }))),
    row('sessions list, first page of 20', await samples(reads, () => store.listSessions({ userId: 'u', limit: 20 }))),
    row('another view hears of an append', wake),
    ],
  };
}

printMachine();
type Row = Record<string, string | number>;
const appends: Row[] = [];
const readRows: Row[] = [];
const record = (measured: { appends: Row[]; reads: Row[] }) => {
  appends.push(...measured.appends);
  readRows.push(...measured.reads);
};
const folder = mkdtempSync(join(tmpdir(), 'run-store-bench-'));
// Also when stopped (Ctrl-C, a timeout): the test support turns those signals into an exit.
process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
try {
  const path = join(folder, 'run-store.sqlite');
  const [sqlite, sqliteOther] = [new SqliteRunStore({ path }), new SqliteRunStore({ path })];
  record(await measure('sqlite', sqlite, sqliteOther));
  await Promise.all([sqlite.close(), sqliteOther.close()]);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
const missing = postgresMissing();
if (missing) console.warn(`PostgreSQL skipped: ${missing}`);
else {
  const server = await startPostgres({ fsync: true });
  try {
    const url = await server.createDatabase();
    const [postgres, postgresOther] = await Promise.all([PostgresRunStore.open({ connectionString: url }), PostgresRunStore.open({ connectionString: url })]);
    record(await measure('postgres', postgres, postgresOther));
    await Promise.all([postgres.close(), postgresOther.close()]);
  } finally {
    await server.stop();
  }
}
printTable(appends);
printTable(readRows);
