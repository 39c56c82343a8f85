/**
 * What the run store must hold once a run's workflow wrote it: the very log the engine reads
 * through Temporal (every event, the same indexes, gapless) and a row saying what the run's
 * output says.
 */
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../src/contracts/events.ts';
import type { WorkflowRunOutput } from '../../../src/engine/run-output.ts';
import type { RunRecord, RunStore } from '../../../src/run-store/run-store.ts';
import { collectEvents } from '../../support/harness.ts';
import type { Harness } from '../../support/harness.ts';

/** The run's whole log as the store holds it. */
export async function storedEvents(store: RunStore, runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for (let more = true; more; ) {
    const page = await store.readEvents(runId, { after: events.at(-1)?.event_index ?? -1 });
    events.push(...page.events);
    more = page.more;
  }
  return events;
}

/** Asserts that the store holds the ended run `output` whole; returns its row. */
export async function assertStoreHoldsRun(h: Pick<Harness, 'engine' | 'runStore'>, output: WorkflowRunOutput): Promise<RunRecord> {
  const runId = output.run_id;
  const [engineLog, storeLog, row] = await Promise.all([collectEvents(h.engine, runId), storedEvents(h.runStore, runId), h.runStore.getRun(runId)]);
  assert.deepEqual(storeLog.map((event) => event.event_index), storeLog.map((_, i) => i), 'the stored log is gapless from 0');
  assert.equal(storeLog.length, engineLog.length, 'the store holds as many events as the log read through Temporal');
  // Event by event, so a difference names its index rather than printing two whole logs.
  for (const [i, event] of engineLog.entries()) assert.deepEqual(storeLog[i], event, `event ${i} is stored as the log read through Temporal has it`);
  assert.ok(row, `the store has a row for run ${runId}`);
  assert.equal(row.status, output.status);
  assert.equal(row.last_event_index, engineLog.at(-1)!.event_index);
  assert.equal(row.state.status, output.status);
  assert.equal(row.state.content, output.content);
  assert.deepEqual(row.state.step_results, output.step_results);
  return row;
}
