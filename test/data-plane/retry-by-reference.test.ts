/**
 * Retries carry what they need by reference, through each blob store: a failure in the step after
 * a 10 MB step is retried without running the 10 MB step again, and a run with a 600 KB input is
 * retried again and again. Each retry's input stays small (the earlier log as archived segments,
 * the big texts as references), every execution's history stays within 2 MB and 10,000 events,
 * and the stream reads one gapless log from the first attempt to WorkflowCompleted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { collectEvents } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { assertWithinHistoryBudget, describeSizes, executionSizes } from './support/executions.ts';
import { blobStoresUnderTest, MB, textOf, useHarnessOn } from './support/blob-stores.ts';

const state = { broken: true, produced: 0 };
const publish = (what: string) =>
  new Step({
    name: 'Publish',
    executor: (input) => {
      if (state.broken) throw ApplicationFailure.nonRetryable('publishing is broken', 'Broken');
      return `published ${what} of ${input.previousStepContent?.length ?? input.input.length} characters`;
    },
  });
const afterBigStep = new Workflow({
  name: 'After Big Step',
  steps: [
    new Step({
      name: 'Produce',
      executor: () => {
        state.produced++;
        return textOf(10 * MB, 'ten');
      },
    }),
    publish('the report'),
  ],
});
const bigInput = new Workflow({ name: 'Big Input', steps: [publish('the input')] });

/** Bytes of the input a run's newest execution started with, as Temporal stores it. */
async function startInputBytes(client: Client, runId: string): Promise<number> {
  const { runId: execution } = await client.workflow.getHandle(runId).describe();
  const response = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId: runId, runId: execution }, maximumPageSize: 1 });
  const input = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input;
  return input ? proto.temporal.api.common.v1.Payloads.encode(input).finish().byteLength : 0;
}


for (const store of blobStoresUnderTest('retry-by-reference')) {
  describe(`retries by reference through the ${store.name} blob store`, () => {
    const harness = useHarnessOn(store, [afterBigStep, bigInput]);

    it('a failure after a 10 MB step: the retry starts small, skips the 10 MB step and completes', async () => {
      Object.assign(state, { broken: true, produced: 0 });
      const failed = await withDeadline('the first attempt', afterBigStep.arun({ input: 'go', engine: harness().engine }), 120_000);
      assert.equal(failed.status, 'ERROR');
      assert.match(failed.error ?? '', /publishing is broken/);
      state.broken = false;
      await harness().engine.retryRun(failed.run_id);
      const inputBytes = await startInputBytes(harness().engine.client, failed.run_id);
      assert.ok(inputBytes < 16 * 1024, `the retry's input holds ${inputBytes} bytes`);
      const output = await withDeadline('the retry', harness().engine.waitForRun(failed.run_id), 120_000);
      assert.equal(output.status, 'COMPLETED', output.error);
      assert.equal(output.content, `published the report of ${10 * MB} characters`);
      assert.equal(state.produced, 1, 'the 10 MB step ran once');
      assert.ok(output.step_results[0]?.content === textOf(10 * MB, 'ten'), 'the carried step result is whole');

      const events = await collectEvents(harness().engine, failed.run_id, -1, 120_000);
      assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
      assert.deepEqual(events.filter((event) => event.event.startsWith('Workflow')).map((event) => event.event), ['WorkflowStarted', 'WorkflowError', 'WorkflowStarted', 'WorkflowCompleted']);
      const sizes = await executionSizes(harness().engine.client, failed.run_id);
      console.log(`${store.name}: retried after a 10 MB step: retry input ${inputBytes} bytes; ${describeSizes(sizes)}`);
      assert.equal(sizes.length, 2);
      assertWithinHistoryBudget(sizes);
    });

    it('a run with a 600 KB input retried four times', async () => {
      Object.assign(state, { broken: true });
      const input = textOf(600 * 1024, 'input');
      const failed = await withDeadline('the first attempt', bigInput.arun({ input, engine: harness().engine }), 60_000);
      assert.equal(failed.status, 'ERROR');
      assert.ok(failed.input === input, 'GET returns the whole input');
      const inputs: number[] = [];
      for (let retry = 1; retry <= 4; retry++) {
        if (retry === 4) state.broken = false;
        await harness().engine.retryRun(failed.run_id);
        inputs.push(await startInputBytes(harness().engine.client, failed.run_id));
        const output = await withDeadline(`retry ${retry}`, harness().engine.waitForRun(failed.run_id), 60_000);
        assert.equal(output.status, retry === 4 ? 'COMPLETED' : 'ERROR', output.error);
      }
      const output = (await harness().engine.getRun(failed.run_id))!;
      assert.equal(output.content, `published the input of ${600 * 1024} characters`);
      assert.ok(inputs.every((bytes) => bytes < 16 * 1024), `retry inputs of ${inputs.join(', ')} bytes`);
      const events = await collectEvents(harness().engine, failed.run_id, -1, 120_000);
      assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
      const starts = events.filter((event) => event.event === 'WorkflowStarted');
      assert.deepEqual(starts.map((event) => (event.event === 'WorkflowStarted' ? (event.attempt ?? 1) : 0)), [1, 2, 3, 4, 5]);
      assert.ok(starts.every((event) => event.event === 'WorkflowStarted' && event.input === input), 'each WorkflowStarted carries the whole input');
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      const sizes = await executionSizes(harness().engine.client, failed.run_id);
      console.log(`${store.name}: a 600 KB input retried 4 times: retry inputs ${inputs.join(', ')} bytes; ${describeSizes(sizes)}`);
      assertWithinHistoryBudget(sizes);
    });
  });
}
