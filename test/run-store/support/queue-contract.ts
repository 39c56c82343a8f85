/** The contract of the queue's reads: runs as jobs with their place in their session's queue, counts by status, bounded counts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storeOpener } from './fixture.ts';
import type { RunStoreFixture } from './fixture.ts';
import { runRecord } from './records.ts';

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
  });
}
