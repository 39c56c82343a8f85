/**
 * A run ended outside workflow code (an operator's terminate) has no record of its end: the first
 * read through Temporal writes it to the run store (the log to the terminal event the reader makes,
 * the row ended), and later reads come from the store, also with every worker stopped.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { RUN_READ_EVENT_BYTES } from '../../src/engine/output-events.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';
import { storedEvents } from './support/store-holds-run.ts';

const approval = new Workflow({
  name: 'Outside Approval',
  steps: [new Step({ name: 'Prepare', executor: () => 'prepared' }), new Step({ name: 'Publish', requiresConfirmation: true, executor: () => 'published' })],
});

let h: Harness;
let worker: RunningWorker;
before(async () => {
  h = await startHarness();
  worker = await h.startWorker([approval]);
});
after(async () => {
  await h?.close();
});

const queriesSent = () => [...h.temporalCalls.queries.values()].reduce((sum, n) => sum + n, 0);

it('writes the end of a terminated run to the store on its first read, then reads it from there', { timeout: 120_000 }, async () => {
  const { output: started } = await h.engine.startRun(approval.toPlan(), { input: 'go' });
  const runId = started.run_id;
  await waitUntil(`the run store to say run ${runId} is PAUSED`, async () => (await h.runStore.getRun(runId))?.status === 'PAUSED');
  await h.engine.client.workflow.getHandle(runId).terminate('wrong input');

  const first = await h.engine.getRun(runId);
  assert.equal(first?.status, 'CANCELLED');
  assert.match(String(first?.error), /terminated by operator: wrong input/);
  const row = await h.runStore.getRun(runId);
  assert.equal(row?.status, 'CANCELLED', 'the first read wrote the end');
  const stored = await storedEvents(h.runStore, runId);
  assert.deepEqual(stored.map((event) => event.event_index), stored.map((_, i) => i));
  assert.equal(stored.at(-1)?.event, 'WorkflowCancelled');
  assert.equal(row?.last_event_index, stored.at(-1)!.event_index);

  await worker.shutdown();
  const queries = queriesSent();
  const again = await h.engine.getRun(runId, { eventBytes: RUN_READ_EVENT_BYTES });
  assert.equal(again?.status, 'CANCELLED');
  assert.equal(again?.error, first?.error);
  assert.deepEqual(again?.events, stored);
  assert.deepEqual(await collectEvents(h.engine, runId, -1, 10_000), stored);
  assert.equal(queriesSent(), queries, 'read from the store: no worker query');
});
