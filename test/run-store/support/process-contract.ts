/** The contract between processes: changes told to other views of a store, migrations run once. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunChange } from '../../../src/run-store/run-store.ts';
import { startProcess } from '../../support/processes.ts';
import { waitUntil, withDeadline } from '../../support/wait.ts';
import { range, storeOpener } from './fixture.ts';
import type { RunStoreFixture } from './fixture.ts';
import { runRecord, stepEvent, stepEvents } from './records.ts';

const OPEN_STORE = fileURLToPath(new URL('./open-store.ts', import.meta.url));

export function processContract(fixture: RunStoreFixture): void {
  const open = storeOpener(fixture);

  describe('marks', () => {
    it('keeps what the store notes of itself, seen by another view, replaced when set again', async () => {
      const location = await fixture.newLocation();
      const writer = await open(location);
      const reader = await open(location);
      assert.equal(await reader.getMark('backfill'), undefined);
      await writer.setMark('backfill', 'first');
      assert.equal(await reader.getMark('backfill'), 'first');
      await reader.setMark('backfill', 'second');
      assert.equal(await writer.getMark('backfill'), 'second');
      assert.equal(await writer.getMark('other'), undefined);
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
    it('tells the run list’s listeners of runs written by this view (naming them) and by another', async () => {
      const location = await fixture.newLocation();
      const writer = await open(location);
      const reader = await open(location);
      const told: (string | undefined)[] = [];
      const unsubscribe = reader.subscribeList((runId) => told.push(runId));
      await reader.putRun(runRecord('own'));
      assert.ok(told.includes('own'), 'its own write, at once, by run');
      const before = told.length;
      await writer.putRun(runRecord('other'));
      // Another process's write: by run (PostgreSQL's notice) or as some run (the SQLite file's change).
      await waitUntil('the list listener told of the other view’s run', () => told.slice(before).some((runId) => runId === 'other' || runId === undefined), { timeoutMs: 10_000, intervalMs: 10 });
      unsubscribe();
      const after = told.length;
      await reader.putRun(runRecord('own', { last_event_index: 1 }));
      assert.equal(told.length, after, 'nothing told once unsubscribed');
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

  describe('writers at once', () => {
    it('store each event once, gapless, when two writers append the same batches of a run together', async () => {
      const location = await fixture.newLocation();
      const [first, second] = [await open(location), await open(location)];
      // What a retried activity running beside the first attempt, in another process, does.
      const write = async (store: typeof first) => {
        let inserted = 0;
        for (let from = 0; from < 200; from += 10) inserted += (await store.appendEvents('r', stepEvents('r', from, 10))).inserted;
        return inserted;
      };
      const [a, b] = await Promise.all([write(first), write(second)]);
      assert.equal(a + b, 200);
      assert.equal(await second.lastEventIndex('r'), 199);
      assert.deepEqual((await second.readEvents('r', { limit: 1000 })).events, stepEvents('r', 0, 200));
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
      assert.deepEqual(await fixture.migrationVersions(location), [1, 2, 3, 4, 5]);
      assert.equal((await store.getRun('r'))?.run_id, 'r');
    });
  });
}
