/**
 * The contract of the queue's reads (runs as jobs with their place in their session's queue,
 * counts by status, bounded counts), its slots under the concurrency cap, and the inputs kept
 * for its starts (a reused Idempotency-Key's check, a fork's source).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeOpener } from './fixture.ts';
import type { RunStoreFixture } from './fixture.ts';
import { runRecord } from './records.ts';
import type { StoredRunInput } from '../../../src/run-store/run-store.ts';

export function queueContract(fixture: RunStoreFixture): void {
  const open = storeOpener(fixture);

  describe('the queue’s reads', () => {
    it('places each waiting run in its session’s queue, filters by statuses, sessions and user, pages with the total', async () => {
      const store = await open();
      await store.putRun(runRecord('live', { session_id: 's1', user_id: 'u1', status: 'RUNNING', created_at: 100 }));
      await store.putRun(runRecord('next', { session_id: 's1', user_id: 'u1', status: 'PENDING', created_at: 101 }));
      await store.putRun(runRecord('after', { session_id: 's1', user_id: 'u2', status: 'PENDING', created_at: 101 }));
      await store.putRun(runRecord('other', { session_id: 's2', user_id: 'u1', status: 'PENDING', created_at: 102 }));
      await store.putRun(runRecord('done', { session_id: 's2', status: 'COMPLETED', created_at: 90 }));
      const page = await store.listQueue({ order: 'asc', limit: 10, offset: 0 });
      assert.deepEqual(page.runs.map((run) => [run.run_id, run.queue_position]), [['done', undefined], ['live', undefined], ['next', 1], ['after', 2], ['other', 1]]);
      assert.equal(page.total, 5);
      const waiting = await store.listQueue({ statuses: ['PENDING', 'PAUSED'], sessionIds: ['s1', 's3'], limit: 1, offset: 1 });
      assert.deepEqual(waiting.runs.map((run) => run.run_id), ['next']);
      assert.equal(waiting.total, 2);
      assert.deepEqual((await store.listQueue({ userId: 'u1', limit: 10, offset: 0 })).runs.map((run) => run.run_id), ['other', 'next', 'live']);
      assert.deepEqual((await store.listQueue({ runId: 'after', limit: 1, offset: 0 })).runs.map((run) => [run.run_id, run.queue_position, run.state.run_id]), [['after', 2, 'after']]);
    });

    it('counts runs by status with the oldest waiting one, and counts a status only up to a bound', async () => {
      const store = await open();
      assert.deepEqual(await store.queueCounts(), { counts: {} });
      for (const [id, status, created_at] of [['a', 'PENDING', 120], ['b', 'PENDING', 110], ['c', 'RUNNING', 100], ['d', 'PENDING', 130]] as const) {
        await store.putRun(runRecord(id, { status, created_at, user_id: id === 'd' ? 'u9' : undefined }));
      }
      assert.deepEqual(await store.queueCounts(), { counts: { PENDING: 3, RUNNING: 1 }, oldestPendingAt: 110 });
      assert.equal(await store.countRuns({ status: 'PENDING' }, 10), 3);
      assert.equal(await store.countRuns({ status: 'PENDING' }, 2), 2);
      assert.equal(await store.countRuns({ status: 'PENDING', userId: 'u9' }, 10), 1);
      assert.equal(await store.countRuns({ status: 'ERROR' }, 10), 0);
    });

  describe('slots under the concurrency cap', () => {
    const caps = (maxConcurrency: number, maxConcurrencyPerUser = 0) => ({ maxConcurrency, maxConcurrencyPerUser });
    const ask = (runId: string, maxConcurrency: number, userId?: string, perUser = 0) => ({ runId, ...(userId ? { userId } : {}), caps: caps(maxConcurrency, perUser), leaseSeconds: 60 });

    it('reserves a slot while one is free: a RUNNING run and a reserved one hold one each, an ended run and a released slot none', async () => {
      const store = await open();
      await store.putRun(runRecord('running', { status: 'RUNNING' }));
      await store.putRun(runRecord('a', { status: 'PENDING' }));
      await store.putRun(runRecord('b', { status: 'PENDING' }));
      assert.equal(await store.reserveRunSlot(ask('a', 1)), false, 'the RUNNING run holds the only slot');
      assert.equal(await store.reserveRunSlot(ask('a', 2)), true);
      assert.equal(await store.reserveRunSlot(ask('a', 2)), true, 'asked again (a replay), it still fits: it does not count itself');
      assert.equal(await store.reserveRunSlot(ask('b', 2)), false, 'the reservation holds its slot while its run is PENDING');
      await store.putRun(runRecord('a', { status: 'RUNNING', revision: 1 }));
      assert.equal(await store.reserveRunSlot(ask('b', 2)), false, 'a reserved run that runs holds one slot, not two');
      const now = Math.floor(Date.now() / 1000);
      await store.putRun(runRecord('a', { status: 'COMPLETED', revision: 2, created_at: now }));
      assert.equal(await store.reserveRunSlot(ask('b', 2)), false, 'a run that just ended holds its slot until its queue releases it');
      await store.putRun(runRecord('a', { status: 'COMPLETED', revision: 3, created_at: now - 3600 }));
      assert.equal(await store.reserveRunSlot(ask('b', 2)), true, 'a run that ended longer ago than the lease holds none, released or not');
      await store.releaseRunSlot('b');
      await store.putRun(runRecord('running', { status: 'CANCELLED', revision: 1 }));
      assert.equal(await store.reserveRunSlot(ask('c', 1)), true, 'a reservation made before its row is written holds for its lease');
      assert.equal(await store.reserveRunSlot(ask('d', 1)), false);
      await store.releaseRunSlot('c');
      assert.equal(await store.reserveRunSlot(ask('d', 1)), true);
    });

    it('counts a user’s slots against the user’s cap', async () => {
      const store = await open();
      await store.putRun(runRecord('u1-running', { status: 'RUNNING', user_id: 'u1' }));
      assert.equal(await store.reserveRunSlot(ask('u1-next', 10, 'u1', 1)), false);
      assert.equal(await store.reserveRunSlot(ask('u2-next', 10, 'u2', 1)), true);
      assert.equal(await store.reserveRunSlot(ask('u2-after', 10, 'u2', 1)), false);
    });

    it('gives the last slot to one of many asking at once', async () => {
      const location = await fixture.newLocation();
      // Two stores on one database: two workers' queues asking together.
      const store = await open(location);
      const other = await open(location);
      const ids = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
      for (const id of ids) await store.putRun(runRecord(id, { status: 'PENDING' }));
      const answers = await Promise.all(ids.map((id, i) => (i % 2 ? other : store).reserveRunSlot(ask(id, 1))));
      assert.equal(answers.filter(Boolean).length, 1, JSON.stringify(answers));
    });
  });

  describe('what a run was started with', () => {
    it('keeps the first input given for a run, with its request hash, and deletes it with the run', async () => {
      const store = await open();
      const run = { plan: { id: 'wf', name: 'Workflow wf', steps: [] }, input: 'hello', sessionId: 's1' } as unknown as StoredRunInput['run'];
      assert.equal(await store.getRunInput('r1'), undefined);
      await store.putRunInput('r1', { run, requestHash: 'h1' });
      await store.putRunInput('r1', { run: { ...run, input: 'another' }, requestHash: 'h2' });
      assert.deepEqual(await store.getRunInput('r1'), { run, requestHash: 'h1' });
      await store.putRunInput('r2', { run });
      assert.deepEqual(await store.getRunInput('r2'), { run });
      await store.putRun(runRecord('r1'));
      await store.deleteRun('r1');
      assert.equal(await store.getRunInput('r1'), undefined);
    });
  });
  });
}
