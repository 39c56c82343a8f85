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
import { OPEN_EXECUTION_TRUST_MS } from '../../src/engine/stored-runs.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';
import { storedEvents } from './support/store-holds-run.ts';

const approval = new Workflow({
  name: 'Outside Approval',
  steps: [new Step({ name: 'Prepare', executor: () => 'prepared' }), new Step({ name: 'Publish', requiresConfirmation: true, executor: () => 'published' })],
});

// A step that runs until the test lets it go (at most 30 s): its run stays RUNNING meanwhile.
let letGo: () => void = () => undefined;
const busy = new Workflow({
  name: 'Outside Busy',
  steps: [new Step({ name: 'Work', executor: () => new Promise<string>((resolve) => { letGo = () => resolve('done'); setTimeout(letGo, 30_000); }) })],
});

let h: Harness;
let worker: RunningWorker;
before(async () => {
  h = await startHarness();
  worker = await h.startWorker([approval, busy]);
});
after(async () => {
  await h?.close();
});

it('asks Temporal about a polled RUNNING run about once a second, and still shows its end outside workflow code', { timeout: 120_000 }, async () => {
  const { output: started } = await h.engine.startRun(busy.toPlan(), { input: 'go' });
  const runId = started.run_id;
  await waitUntil(`the run store to say run ${runId} is RUNNING`, async () => (await h.runStore.getRun(runId))?.status === 'RUNNING');
  const describesBefore = h.temporalCalls.describes;
  const startedAt = performance.now();
  for (let i = 0; i < 10; i++) assert.equal((await h.engine.getRun(runId))?.status, 'RUNNING');
  const elapsed = performance.now() - startedAt;
  // Ten polls asked Temporal once per OPEN_EXECUTION_TRUST_MS they spanned, not ten times.
  const describes = h.temporalCalls.describes - describesBefore;
  assert.ok(describes >= 1 && describes <= 1 + Math.floor(elapsed / OPEN_EXECUTION_TRUST_MS), `${describes} describes for 10 polls over ${elapsed.toFixed(0)} ms`);

  await h.engine.client.workflow.getHandle(runId).terminate('stuck');
  await waitUntil(`a poll to show run ${runId} ended`, async () => (await h.engine.getRun(runId))?.status === 'CANCELLED', { timeoutMs: 10_000 });
  assert.equal((await h.runStore.getRun(runId))?.status, 'CANCELLED', 'the read wrote the end');
  letGo();
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
