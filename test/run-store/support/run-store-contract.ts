/**
 * What every run store must do, as one suite run against each implementation (see
 * sqlite-run-store.test.ts and postgres-run-store.test.ts). Each test has a store of its own;
 * a second store opened on the same location is another process's view of it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { textReference } from '../../../src/contracts/text-refs.ts';
import { EventGapError } from '../../../src/run-store/run-store.ts';
import type { RunChange, RunStore } from '../../../src/run-store/run-store.ts';
import { startProcess } from '../../support/processes.ts';
import { waitUntil, withDeadline } from '../../support/wait.ts';
import { runRecord, stepEvent, stepEvents, tokens } from './records.ts';

export interface RunStoreFixture {
  /** A new, empty place for a store: a file path or a database's connection string. */
  newLocation(): Promise<string>;
  open(location: string): Promise<RunStore>;
  /** The environment that makes `openRunStore(runStoreConfigFromEnv())` open this location. */
  env(location: string): NodeJS.ProcessEnv;
  /** The versions `schema_migrations` records, as stored (one row each). */
  migrationVersions(location: string): Promise<number[]>;
}

const OPEN_STORE = fileURLToPath(new URL('./open-store.ts', import.meta.url));

/** Every page of a run's events, read with these bounds. */
async function readAll(store: RunStore, runId: string, bounds: { limit?: number; maxBytes?: number } = {}): Promise<{ events: RunEvent[]; pages: number }> {
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

const indexes = (events: RunEvent[]) => events.map((event) => event.event_index);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export function runStoreContract(fixture: RunStoreFixture): void {
  let opened: RunStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    opened = [];
  });
  async function open(location?: string): Promise<RunStore> {
    const store = await fixture.open(location ?? (await fixture.newLocation()));
    opened.push(store);
    return store;
  }

  describe('appending events', () => {
    it('stores each index once: the same batch twice, and overlapping batches, read back as one gapless log', async () => {
      const store = await open();
      assert.deepEqual(await store.appendEvents('r', stepEvents('r', 0, 5)), { inserted: 5, duplicates: 0, conflicts: [] });
      assert.deepEqual(await store.appendEvents('r', stepEvents('r', 0, 5)), { inserted: 0, duplicates: 5, conflicts: [] });
      assert.deepEqual(await store.appendEvents('r', stepEvents('r', 3, 5)), { inserted: 3, duplicates: 2, conflicts: [] });
      // A batch given out of order is stored in order.
      assert.deepEqual(await store.appendEvents('r', stepEvents('r', 8, 3).reverse()), { inserted: 3, duplicates: 0, conflicts: [] });
      const { events } = await readAll(store, 'r');
      assert.deepEqual(events, stepEvents('r', 0, 11));
      assert.equal(await store.lastEventIndex('r'), 10);
      assert.equal(await store.lastEventIndex('other'), -1);
    });

    it('keeps the stored event when one index is written again with other content, and says so without failing', async () => {
      const store = await open();
      await store.appendEvents('r', stepEvents('r', 0, 3));
      const changed = stepEvent('r', 1, 'another step');
      assert.deepEqual(await store.appendEvents('r', [changed, stepEvent('r', 2), stepEvent('r', 3)]), { inserted: 1, duplicates: 1, conflicts: [1] });
      assert.deepEqual((await readAll(store, 'r')).events, stepEvents('r', 0, 4));
    });

    it('refuses a batch that would leave a gap, and writes none of it', async () => {
      const store = await open();
      await assert.rejects(store.appendEvents('r', stepEvents('r', 1, 2)), EventGapError, 'a log starts at 0');
      await store.appendEvents('r', stepEvents('r', 0, 3));
      await assert.rejects(store.appendEvents('r', stepEvents('r', 4, 2)), (err: Error) => err instanceof EventGapError && /events 3\.\.3 are missing/.test(err.message));
      await assert.rejects(store.appendEvents('r', [stepEvent('r', 3), stepEvent('r', 5)]), /skips from index 3 to 5/);
      await assert.rejects(store.appendEvents('r', [stepEvent('r', 3), stepEvent('r', 3, 'other')]), /two different events at index 3/);
      assert.equal(await store.lastEventIndex('r'), 2);
      assert.deepEqual(await store.appendEvents('r', []), { inserted: 0, duplicates: 0, conflicts: [] });
    });

    it('keeps blob references (U+0000 inside) in events and states exactly', async () => {
      const store = await open();
      const reference = textReference({ key: 'runs/r/texts/abc', bytes: 70_000, length: 69_000 });
      const event: RunEvent = { ...stepEvent('r', 0), step_name: `before ${reference} after` };
      await store.appendEvents('r', [event]);
      const record = runRecord('r', { content: reference });
      await store.putRun(record);
      assert.deepEqual((await store.readEvents('r')).events, [event]);
      assert.deepEqual((await store.getRun('r'))?.state.content, reference);
    });
  });

  describe('the run row', () => {
    it('is replaced only by a record that is not older: by last event, then revision', async () => {
      const store = await open();
      assert.equal(await store.putRun(runRecord('r', { last_event_index: 5, revision: 2, status: 'RUNNING' })), 'written');
      assert.equal(await store.putRun(runRecord('r', { last_event_index: 4, revision: 9, status: 'PENDING' })), 'stale', 'an earlier event');
      assert.equal(await store.putRun(runRecord('r', { last_event_index: 5, revision: 1, status: 'PENDING' })), 'stale', 'a lower revision');
      assert.equal((await store.getRun('r'))?.status, 'RUNNING');
      assert.equal(await store.putRun(runRecord('r', { last_event_index: 5, revision: 2, status: 'RUNNING' })), 'written', 'the same record again');
      const done = runRecord('r', { last_event_index: 9, revision: 0, status: 'COMPLETED', tokens: tokens(3, 4, 'gpt') });
      assert.equal(await store.putRun(done), 'written');
      assert.deepEqual(await store.getRun('r'), done);
      assert.equal(await store.getRun('nothing'), undefined);
    });

    it('is deleted with its events', async () => {
      const store = await open();
      await store.putRun(runRecord('r'));
      await store.appendEvents('r', stepEvents('r', 0, 3));
      await store.putRun(runRecord('kept'));
      await store.deleteRun('r');
      assert.equal(await store.getRun('r'), undefined);
      assert.equal(await store.lastEventIndex('r'), -1);
      assert.deepEqual((await store.listRuns()).runs.map((run) => run.run_id), ['kept']);
    });
  });

  describe('reading events', () => {
    it('pages by count and by bytes, in index order; a page holds at least one event whatever its size', async () => {
      const store = await open();
      await store.appendEvents('r', stepEvents('r', 0, 50));
      const byCount = await readAll(store, 'r', { limit: 7 });
      assert.deepEqual(indexes(byCount.events), range(0, 50));
      assert.equal(byCount.pages, 8);
      const oneBody = Buffer.byteLength(JSON.stringify(stepEvent('r', 10)));
      const byBytes = await readAll(store, 'r', { maxBytes: oneBody * 3 + 1 });
      assert.deepEqual(indexes(byBytes.events), range(0, 50));
      assert.ok(byBytes.pages >= 17 && byBytes.pages <= 25, `about 3 events a page (${byBytes.pages} pages)`);
      const tiny = await readAll(store, 'r', { maxBytes: 1 });
      assert.deepEqual(indexes(tiny.events), range(0, 50));
      assert.equal(tiny.pages, 50);
      assert.deepEqual(await store.readEvents('r', { after: 49 }), { events: [], more: false });
    });

    it('reads a run of 2,000 events back whole and in order', async () => {
      const store = await open();
      for (let from = 0; from < 2000; from += 100) await store.appendEvents('long', stepEvents('long', from, 100));
      const { events } = await readAll(store, 'long');
      assert.deepEqual(indexes(events), range(0, 2000));
      assert.deepEqual(events[1999], stepEvent('long', 1999));
    });
  });

  describe('listing runs', () => {
    it('filters by workflow, session, user and status, newest first, runs of one second in the order they were stored', async () => {
      const store = await open();
      await store.putRun(runRecord('a', { workflow_id: 'w1', session_id: 's1', user_id: 'u1', status: 'COMPLETED', created_at: 100 }));
      await store.putRun(runRecord('b', { workflow_id: 'w1', session_id: 's1', user_id: 'u2', status: 'RUNNING', created_at: 200 }));
      await store.putRun(runRecord('c', { workflow_id: 'w2', session_id: 's2', user_id: 'u1', status: 'ERROR', created_at: 200 }));
      await store.putRun(runRecord('d', { workflow_id: 'w2', session_id: 's2', status: 'COMPLETED', created_at: 150 }));
      // A later write of an earlier run keeps its place among runs of its second.
      await store.putRun(runRecord('b', { workflow_id: 'w1', session_id: 's1', user_id: 'u2', status: 'COMPLETED', created_at: 200, revision: 1 }));
      const ids = async (filters: Parameters<RunStore['listRuns']>[0]) => (await store.listRuns(filters)).runs.map((run) => run.run_id);
      assert.deepEqual(await ids({}), ['c', 'b', 'd', 'a']);
      assert.deepEqual(await ids({ workflowId: 'w1' }), ['b', 'a']);
      assert.deepEqual(await ids({ sessionId: 's2' }), ['c', 'd']);
      assert.deepEqual(await ids({ userId: 'u1' }), ['c', 'a']);
      assert.deepEqual(await ids({ status: 'COMPLETED' }), ['b', 'd', 'a']);
      assert.deepEqual(await ids({ status: 'COMPLETED', workflowId: 'w2' }), ['d']);
      assert.deepEqual(await ids({ limit: 2 }), ['c', 'b']);
      const [summary] = (await store.listRuns({ workflowId: 'w1', limit: 1 })).runs;
      assert.deepEqual(summary, { run_id: 'b', workflow_id: 'w1', workflow_name: 'Workflow w1', session_id: 's1', user_id: 'u2', input: 'input of b', status: 'COMPLETED', created_at: 200 });
      await assert.rejects(store.listRuns({ cursor: 'not a cursor' }), /not one this store gave/);
    });

    it('pages 10,000 runs by cursor, each once, newest first', async () => {
      const store = await open();
      const statuses = ['COMPLETED', 'ERROR', 'RUNNING', 'CANCELLED'] as const;
      const runIds = range(0, 10_000).map((i) => `run-${i}`);
      // 20 writers at once; 100 runs a second, so many runs share their `created_at`.
      for (let i = 0; i < runIds.length; i += 20) {
        await Promise.all(runIds.slice(i, i + 20).map((runId, j) => store.putRun(runRecord(runId, { created_at: 1_000 + Math.floor((i + j) / 100), status: statuses[(i + j) % 4] }))));
      }
      const seen: { run_id: string; created_at: number }[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listRuns({ limit: 1000, cursor });
        seen.push(...page.runs);
        cursor = page.cursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 10);
      assert.equal(new Set(seen.map((run) => run.run_id)).size, 10_000);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!.created_at >= seen[i]!.created_at, `newest first at ${i}`);
      const errors = (await store.listRuns({ status: 'ERROR', limit: 1000 })).runs;
      assert.equal(errors.length, 1000);
      assert.ok(errors.every((run) => run.status === 'ERROR'));
    });
  });

  describe('listing sessions', () => {
    async function sessionsStore(): Promise<RunStore> {
      const store = await open();
      await store.putRun(runRecord('a1', { session_id: 'A', workflow_id: 'w1', user_id: 'u1', input: 'Plan a trip', created_at: 100, tokens: tokens(10, 5, 'gpt-a') }));
      await store.putRun(runRecord('a2', { session_id: 'A', workflow_id: 'w1', user_id: 'u1', input: 'And back', created_at: 300, tokens: tokens(1, 2, 'gpt-b') }));
      await store.putRun(runRecord('a3', { session_id: 'A', workflow_id: 'w1', user_id: 'u1', input: 'Still going', created_at: 400 }));
      await store.putRun(runRecord('b1', { session_id: 'B', workflow_id: 'w2', user_id: 'u1', input: 'Write a poem', created_at: 200, tokens: tokens(7, 7, 'gpt-a') }));
      await store.putRun(runRecord('c1', { session_id: 'C', workflow_id: 'w1', user_id: 'u2', input: 'Other user', created_at: 250, tokens: tokens(2, 2) }));
      await store.putRun(runRecord('x', { session_id: '', workflow_id: 'w1', user_id: 'u1', created_at: 500 }));
      return store;
    }

    it('groups runs by session: count, first and last start, the first run’s input and user, tokens summed per model', async () => {
      const store = await sessionsStore();
      const page = await store.listSessions();
      assert.equal(page.total, 3);
      assert.deepEqual(page.sessions.map((s) => s.session_id), ['C', 'B', 'A'], 'newest first by first run');
      const a = page.sessions.find((s) => s.session_id === 'A')!;
      assert.deepEqual(a, {
        session_id: 'A',
        workflow_id: 'w1',
        workflow_name: 'Workflow w1',
        user_id: 'u1',
        first_input: 'Plan a trip',
        run_count: 3,
        created_at: 100,
        updated_at: 400,
        tokens: {
          input_tokens: 11,
          output_tokens: 7,
          total_tokens: 18,
          details: { model: [ { id: 'gpt-a', provider: 'OpenAI', input_tokens: 10, output_tokens: 5, total_tokens: 15 }, { id: 'gpt-b', provider: 'OpenAI', input_tokens: 1, output_tokens: 2, total_tokens: 3 } ] },
        },
      });
    });

    it('filters by user, workflow and name (given or first input), sorts, and pages with the total', async () => {
      const store = await sessionsStore();
      const ids = async (filters: Parameters<RunStore['listSessions']>[0]) => (await store.listSessions(filters)).sessions.map((s) => s.session_id);
      assert.deepEqual(await ids({ userId: 'u1' }), ['B', 'A']);
      assert.deepEqual(await ids({ workflowId: 'w1' }), ['C', 'A']);
      assert.deepEqual(await ids({ sortBy: 'updated_at', sortOrder: 'desc' }), ['A', 'C', 'B']);
      assert.deepEqual(await ids({ sortOrder: 'asc' }), ['A', 'B', 'C']);
      assert.deepEqual(await ids({ nameContains: 'POEM' }), ['B']);
      await store.setSessionName('A', 'u1', 'Holiday 100%_planning');
      await store.setSessionName('B', 'u2', 'Not the name of u1’s session');
      assert.deepEqual(await ids({ nameContains: 'holiday' }), ['A']);
      assert.deepEqual(await ids({ nameContains: '100%_' }), ['A'], 'LIKE wildcards are plain characters');
      assert.deepEqual(await ids({ nameContains: 'trip' }), [], 'a given name replaces the first input');
      assert.deepEqual(await ids({ nameContains: 'poem' }), ['B'], 'another user’s name is not this session’s');
      assert.equal((await store.listSessions({ sessionId: 'A' })).sessions[0]?.session_name, 'Holiday 100%_planning');
      const second = await store.listSessions({ limit: 2, offset: 2 });
      assert.deepEqual([second.sessions.map((s) => s.session_id), second.total], [['A'], 3]);
      const past = await store.listSessions({ limit: 2, offset: 10 });
      assert.deepEqual([past.sessions, past.total], [[], 3]);
      const oneUser = await store.listSessions({ userId: 'u1', sessionId: 'A' });
      assert.equal(oneUser.sessions[0]?.tokens.total_tokens, 18);
    });
  });

  describe('telling of changes', () => {
    it('wakes a tail in another process’s view when events are appended, and a listener when the run changes', async () => {
      const location = await fixture.newLocation();
      const writer = await open(location);
      const reader = await open(location);
      await writer.appendEvents('r', stepEvents('r', 0, 2));
      assert.equal(await reader.waitForEvents('r', 0), 1, 'at once when already beyond');
      // A listener may be told a change more than once (e.g. when it starts listening): it looks for what it needs.
      const changes: RunChange[] = [];
      const unsubscribe = reader.subscribe('r', (change) => changes.push(change));
      const waiting = reader.waitForEvents('r', 1);
      await writer.appendEvents('r', stepEvents('r', 2, 3));
      assert.equal(await withDeadline('the reader told of events 2..4', waiting, 10_000), 4);
      await waitUntil('the listener told of events 2..4', () => changes.some((change) => change.kind === 'events' && change.last_event_index === 4), { timeoutMs: 10_000, intervalMs: 10 });
      const before = changes.length;
      await writer.putRun(runRecord('r', { last_event_index: 4 }));
      await waitUntil('the listener told the run changed', () => changes.slice(before).some((change) => change.kind === 'run'), { timeoutMs: 10_000, intervalMs: 10 });
      unsubscribe();
      const aborted = new AbortController();
      const never = reader.waitForEvents('r', 4, aborted.signal);
      aborted.abort(new Error('reader gone'));
      await assert.rejects(never, /reader gone/);
    });
    it('tells a tail that waits again after each wake-up every time', async () => {
      const location = await fixture.newLocation();
      const writer = await open(location);
      const reader = await open(location);
      await writer.appendEvents('r', [stepEvent('r', 0)]);
      // Each wake-up at another moment of the reader's listening: before, while and after it starts.
      for (let next = 1; next <= 30; next++) {
        const waiting = reader.waitForEvents('r', next - 1);
        for (let turn = 0; turn < next % 4; turn++) await new Promise(setImmediate);
        await writer.appendEvents('r', [stepEvent('r', next)]);
        assert.equal(await withDeadline(`the reader told of event ${next}`, waiting, 10_000), next);
      }
    });
  });

  describe('migrations', () => {
    it('run once however many processes start at once, and again at every start without effect', async () => {
      const location = await fixture.newLocation();
      // Loaded first, then told to open together: their migrations overlap.
      const children = await Promise.all(
        range(0, 4).map(() => startProcess({ args: [OPEN_STORE], env: { ...process.env, ...fixture.env(location) }, ready: 'ready', readyTimeoutMs: 60_000, stdin: true })),
      );
      const exits = children.map(({ child }) => once(child, 'exit'));
      for (const { child } of children) child.stdin!.write('go\n');
      const codes = await withDeadline('the processes to open the store', Promise.all(exits), 60_000);
      assert.deepEqual(
        codes.map(([code]) => code),
        [0, 0, 0, 0],
        children.map(({ output }) => output()).join('\n'),
      );
      assert.ok(children.every(({ output }) => output().includes('opened')));
      const store = await open(location);
      await store.putRun(runRecord('r'));
      await (await open(location)).close();
      assert.deepEqual(await fixture.migrationVersions(location), [1]);
      assert.equal((await store.getRun('r'))?.run_id, 'r');
    });
  });
}
