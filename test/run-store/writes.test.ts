/**
 * The run store written by the workflow from committed state (docs/adr/0012-run-store-writes.md):
 * each run's log and row reach it whole, as the engine reads them through Temporal, whether the
 * run completes, fails and is retried, waits for a person, or is cancelled.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeRequest } from '../fakes/openai.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { CONTENT_PLAN, callerOf, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil } from '../support/wait.ts';
import { assertStoreHoldsRun, storedEvents } from './support/store-holds-run.ts';

const approval = new Workflow({
  name: 'Store Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish this draft?', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});

let h: Harness;
/** Planner requests still to refuse with a 401: not retried, the run fails in its second step. */
let plannerRefusals = 0;

before(async () => {
  h = await startHarness();
  await h.startWorker([contentCreationWorkflow, approval]);
});
after(async () => {
  await h?.close();
});
beforeEach(() => {
  plannerRefusals = 0;
  h.openai.reset();
  h.openai.setHandler((req: FakeRequest) => {
    if (callerOf(req) === 'planner' && plannerRefusals > 0) {
      plannerRefusals -= 1;
      return { kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' };
    }
    return contentCreationReply(req);
  });
});

/** The store's row of run `runId` once it says `status`. */
function storedStatus(runId: string, status: string) {
  return waitUntil(`the run store to say run ${runId} is ${status}`, async () => {
    const row = await h.runStore.getRun(runId);
    return row?.status === status && row;
  });
}

describe('run store writes', { timeout: 120_000 }, () => {
  it('holds a content-creation run whole: its log as Temporal has it, its row COMPLETED', async () => {
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine });
    const output = await h.engine.waitForRun(run.run_id);
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
    const row = await assertStoreHoldsRun(h, output);
    assert.equal(row.workflow_id, contentCreationWorkflow.id);
    assert.equal(row.input, 'AI trends in 2024');
    assert.ok(row.tokens && row.tokens.total_tokens > 0, "the row counts the run's tokens");
  });

  it('holds a failed run ERROR, then its retry: one gapless log across both attempts, COMPLETED', async () => {
    plannerRefusals = 1;
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine });
    const failed = await h.engine.waitForRun(run.run_id);
    assert.equal(failed.status, 'ERROR');
    const failedRow = await assertStoreHoldsRun(h, failed);
    assert.equal((await storedEvents(h.runStore, run.run_id)).at(-1)?.event, 'WorkflowError');
    assert.match(String(failedRow.state.error), /Incorrect API key/);

    // Retried on a queue no worker polls yet: readers of an ended run trust the store, and the
    // retry itself says there that the run goes on, before any record of the new attempt.
    const queue = `${h.taskQueue}-retry`;
    await h.engineFor(queue).retryRun(run.run_id);
    assert.equal((await h.engine.getRun(run.run_id))?.status, 'PENDING', 'not the old end');
    await h.startWorker([contentCreationWorkflow, approval], { taskQueue: queue });
    const output = await h.engine.waitForRun(run.run_id);
    assert.equal(output.status, 'COMPLETED', output.error);
    await assertStoreHoldsRun(h, output);
    const events = await storedEvents(h.runStore, run.run_id);
    assert.deepEqual(events.filter((event) => event.event.startsWith('Workflow')).map((event) => event.event), ['WorkflowStarted', 'WorkflowError', 'WorkflowStarted', 'WorkflowCompleted']);
  });

  it('shows a run waiting for a person PAUSED with its WorkflowPaused event, then COMPLETED once answered', async () => {
    const { output: started } = await h.engine.startRun(approval.toPlan(), { input: 'news' });
    const paused = await storedStatus(started.run_id, 'PAUSED');
    const waiting = await storedEvents(h.runStore, started.run_id);
    assert.equal(waiting.at(-1)?.event, 'WorkflowPaused');
    assert.equal(paused.last_event_index, waiting.at(-1)!.event_index);
    assert.equal(paused.state.step_requirements?.[0]?.step_id, 'publish');

    await h.engine.continueRun(started.run_id, [{ step_id: 'publish', confirmed: true }]);
    const output = await h.engine.waitForRun(started.run_id);
    assert.equal(output.content, 'published draft of news');
    await assertStoreHoldsRun(h, output);
  });

  it('holds a run cancelled while it waits CANCELLED, with its WorkflowCancelled event', async () => {
    const { output: started } = await h.engine.startRun(approval.toPlan(), { input: 'news' });
    await storedStatus(started.run_id, 'PAUSED');
    await h.engine.cancel(started.run_id);
    const output = await h.engine.waitForRun(started.run_id);
    assert.equal(output.status, 'CANCELLED');
    const row = await assertStoreHoldsRun(h, output);
    assert.equal(row.state.cancellation_stage, 'PAUSED');
    assert.equal((await storedEvents(h.runStore, started.run_id)).at(-1)?.event, 'WorkflowCancelled');
  });
});
