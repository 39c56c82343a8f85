/**
 * Ended runs read from the run store: with every worker stopped, a finished run reads whole (its
 * output, its events, its event stream) at once and without a single worker query; a run the
 * store lacks is still read through Temporal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { RUN_READ_EVENT_BYTES } from '../../src/engine/output-events.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { storedEvents } from './support/store-holds-run.ts';

let h: Harness;
let worker: RunningWorker;

before(async () => {
  h = await startHarness();
  worker = await h.startWorker([contentCreationWorkflow]);
  h.openai.setHandler(contentCreationReply);
});
after(async () => {
  await h?.close();
});

const queriesSent = () => [...h.temporalCalls.queries.values()].reduce((sum, n) => sum + n, 0);

describe('reads of ended runs from the run store', { timeout: 120_000 }, () => {
  it('reads a finished run whole with every worker stopped, sending no query', async () => {
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine });
    const done = await h.engine.waitForRun(run.run_id);
    assert.equal(done.status, 'COMPLETED', done.error);
    const stored = await storedEvents(h.runStore, run.run_id);
    await worker.shutdown();

    const queries = queriesSent();
    const output = await h.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    assert.equal(output?.status, 'COMPLETED');
    assert.equal(output?.content, CONTENT_PLAN);
    assert.deepEqual(output?.step_results, done.step_results);
    assert.equal(output?.events?.length, stored.length, 'every event, with no worker to ask');
    assert.equal(output?.events?.at(-1)?.event, 'WorkflowCompleted');
    const streamed = await collectEvents(h.engine, run.run_id, -1, 10_000);
    assert.deepEqual(streamed, stored, 'the event stream reads the stored log to its end');
    assert.deepEqual(await collectEvents(h.engine, run.run_id, stored.at(-1)!.event_index, 10_000), [], 'a reader resuming at the end gets nothing more');
    assert.equal(queriesSent(), queries, 'no worker query');
  });
});
