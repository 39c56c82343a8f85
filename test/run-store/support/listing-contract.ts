/** The contract of listings: runs by filters and cursor, sessions as the sessions API shows them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunStore } from '../../../src/run-store/run-store.ts';
import { range, storeOpener } from './fixture.ts';
import type { RunStoreFixture } from './fixture.ts';
import { runRecord, tokens } from './records.ts';

export function listingContract(fixture: RunStoreFixture): void {
  const open = storeOpener(fixture);

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
}
