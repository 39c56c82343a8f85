/**
 * What the run store contract is given about one implementation, and what its tests share: a
 * store per test (closed after it), and reading a whole log page by page.
 */
import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import type { RunStore } from '../../../src/run-store/run-store.ts';

export interface RunStoreFixture {
  /** A new, empty place for a store: a file path or a database's connection string. */
  newLocation(): Promise<string>;
  open(location: string): Promise<RunStore>;
  /** The environment that makes `openRunStore(runStoreConfigFromEnv())` open this location. */
  env(location: string): NodeJS.ProcessEnv;
  /** The versions `schema_migrations` records, as stored (one row each). */
  migrationVersions(location: string): Promise<number[]>;
}

/** Opens stores (at a new location unless given one) and closes them after each test. */
export function storeOpener(fixture: RunStoreFixture): (location?: string) => Promise<RunStore> {
  let opened: RunStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    opened = [];
  });
  return async (location) => {
    const store = await fixture.open(location ?? (await fixture.newLocation()));
    opened.push(store);
    return store;
  };
}

/** Every page of a run's events, read with these bounds. */
export async function readAll(store: RunStore, runId: string, bounds: { limit?: number; maxBytes?: number } = {}): Promise<{ events: RunEvent[]; pages: number }> {
  const events: RunEvent[] = [];
  let pages = 0;
  for (;;) {
    const page = await store.readEvents(runId, { ...bounds, after: events.at(-1)?.event_index ?? -1 });
    pages++;
    events.push(...page.events);
    if (!page.more) return { events, pages };
    assert.ok(page.events.length > 0, 'a page that says more follow has events');
  }
}

export const indexes = (events: RunEvent[]) => events.map((event) => event.event_index);
export const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
