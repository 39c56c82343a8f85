/**
 * The run store across continue-as-new: with a small history budget a run moves to new
 * executions, each carrying only references to the archived log; the store still holds one
 * gapless log, the one Temporal has, through a wait for a person, a failure and its retry, and
 * an operator's reset of the failed execution.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { historyOf, lastWorkflowTaskBeforeFailure, resetRun } from '../support/operator-reset.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { executionSizes } from '../data-plane/support/executions.ts';
import { assertStoreHoldsRun, storedEvents } from './support/store-holds-run.ts';

/** Small enough that these runs move several times. */
const BUDGET = { events: 120 };
let broken = true;
const count = new Step({ name: 'Count', executor: (input: StepInput) => String(Number(input.previousStepContent ?? input.input) + 1) });
const loopThenAsk = new Workflow({
  name: 'Store Loop Then Ask',
  steps: [new Loop({ name: 'Repeat', maxIterations: 40, steps: [count] }), new Step({ name: 'Approve', requiresConfirmation: true, executor: (input: StepInput) => `approved ${input.previousStepContent}` })],
});
const loopThenFail = new Workflow({
  name: 'Store Loop Then Fail',
  steps: [
    new Loop({ name: 'Repeat', maxIterations: 30, steps: [count] }),
    new Step({
      name: 'Publish',
      executor: (input: StepInput) => {
        if (broken) throw ApplicationFailure.nonRetryable('publishing is broken', 'Broken');
        return `published ${input.previousStepContent}`;
      },
    }),
  ],
});

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker([loopThenAsk, loopThenFail]);
});
after(async () => {
  await h?.close();
});
beforeEach(() => {
  broken = true;
});

async function assertMoved(runId: string): Promise<void> {
  const executions = (await executionSizes(h.engine.client, runId)).length;
  assert.ok(executions >= 3, `the run moved to new executions (${executions})`);
}

describe('run store writes across continue-as-new', { timeout: 180_000 }, () => {
  it('holds a run that moved, waits for a person (PAUSED), and completes', async () => {
    const { output: started } = await h.engine.startRun(loopThenAsk.toPlan(), { input: '0', historyBudget: BUDGET });
    const runId = started.run_id;
    const paused = await waitUntil(`the run store to say run ${runId} is PAUSED`, async () => {
      const row = await h.runStore.getRun(runId);
      return row?.status === 'PAUSED' && row;
    }, { timeoutMs: 120_000 });
    const waiting = await storedEvents(h.runStore, runId);
    assert.equal(waiting.at(-1)?.event, 'WorkflowPaused');
    assert.deepEqual(waiting.map((event) => event.event_index), waiting.map((_, i) => i));
    assert.equal(paused.last_event_index, waiting.at(-1)!.event_index);

    await h.engine.continueRun(runId, [{ step_id: 'approve', confirmed: true }]);
    const output = await withDeadline('the confirmed run', h.engine.waitForRun(runId), 60_000);
    assert.equal(output.content, 'approved 40');
    await assertMoved(runId);
    await assertStoreHoldsRun(h, output);
  });

  it('holds a run that moved and failed, then its retry', async () => {
    const { output: started } = await h.engine.startRun(loopThenFail.toPlan(), { input: '0', historyBudget: BUDGET });
    const failed = await withDeadline('the first attempt', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(failed.status, 'ERROR');
    await assertStoreHoldsRun(h, failed);
    broken = false;
    await h.engine.retryRun(failed.run_id);
    const output = await withDeadline('the retry', h.engine.waitForRun(failed.run_id), 60_000);
    assert.equal(output.content, 'published 30');
    await assertMoved(failed.run_id);
    await assertStoreHoldsRun(h, output);
  });

  it("holds a run that moved, failed and was reset by an operator: the old log, the WorkflowReset, the new attempt", async () => {
    const { output: started } = await h.engine.startRun(loopThenFail.toPlan(), { input: '0', historyBudget: BUDGET });
    const failed = await withDeadline('the first attempt', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(failed.status, 'ERROR');
    const before = await storedEvents(h.runStore, failed.run_id);
    broken = false;
    const { client } = h.engine;
    await resetRun(client, failed.run_id, lastWorkflowTaskBeforeFailure(await historyOf(client, failed.run_id)), 'publishing is fixed');
    const output = await withDeadline('the reset run', h.engine.waitForRun(failed.run_id), 60_000);
    assert.equal(output.content, 'published 30');
    await assertStoreHoldsRun(h, output);
    const events = await storedEvents(h.runStore, failed.run_id);
    assert.deepEqual(events.slice(0, before.length), before, 'what the store held before the reset stays');
    assert.equal(events[before.length]?.event, 'WorkflowReset');
  });
});
