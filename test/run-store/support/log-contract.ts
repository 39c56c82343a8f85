/** The contract of a run's log and row: idempotent gapless appends, monotonic rows, paged reads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { textReference } from '../../../src/contracts/text-refs.ts';
import { EventGapError } from '../../../src/run-store/run-store.ts';
import { indexes, range, readAll, storeOpener } from './fixture.ts';
import type { RunStoreFixture } from './fixture.ts';
import { runRecord, stepEvent, stepEvents, tokens } from './records.ts';

export function logContract(fixture: RunStoreFixture): void {
  const open = storeOpener(fixture);

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

    it('keeps the execution that wrote it, and none for a row written outside one', async () => {
      const store = await open();
      await store.putRun(runRecord('r', { last_event_index: 0 }));
      assert.equal((await store.getRun('r'))?.execution_id, undefined);
      await store.putRun({ ...runRecord('r', { last_event_index: 1 }), execution_id: 'execution-2' });
      assert.equal((await store.getRun('r'))?.execution_id, 'execution-2');
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

}
