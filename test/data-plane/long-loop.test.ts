/**
 * A long Loop of a cheap function step, about 6 history events per iteration: 20,000 iterations
 * make about 120,000, over Temporal's 51,200 limit. The run continues as new whenever an execution
 * reaches its budget, invisibly: one run id, one gapless log (4 events per iteration) from
 * WorkflowStarted to WorkflowCompleted, each iteration once, and every execution within 10,000
 * events and 2 MB.
 *
 * `npm test` runs 1,500 iterations (about 9,000 history events: three executions, in a minute or
 * two); `npm run test:soak` runs the full 20,000 (15–20 minutes on a busy 2-core
 * machine), as LONG_LOOP_ITERATIONS says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { collectEvents } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { assertWithinHistoryBudget, describeSizes, executionSizes } from './support/executions.ts';
import { localBlobStore, useHarnessOn } from './support/blob-stores.ts';

const ITERATIONS = Number(process.env.LONG_LOOP_ITERATIONS || 1500);
let calls = 0;
const count = new Step({
  name: 'Count',
  executor: (input: StepInput) => {
    calls++;
    return String(Number(input.previousStepContent ?? 0) + 1);
  },
});
const workflow = new Workflow({ name: 'Long Loop', steps: [new Loop({ name: 'Repeat', maxIterations: ITERATIONS, steps: [count] })] });

describe(`a Loop of ${ITERATIONS.toLocaleString('en-US')} iterations`, () => {
  const harness = useHarnessOn(localBlobStore('long-loop'), [workflow]);

  // About 50 ms per iteration on a busy 2-core machine (Temporal's activity round trip).
  it('continues as new within the history budget, one run and one gapless log', { timeout: 2_400_000 }, async () => {
    const h = harness();
    const started = Date.now();
    const output = await withDeadline(`the ${ITERATIONS}-iteration run`, workflow.arun({ input: '0', engine: h.engine }), 2_100_000);
    const ran = Date.now() - started;
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, String(ITERATIONS));
    assert.equal(calls, ITERATIONS, 'each iteration ran once');

    const read = Date.now();
    const events = await collectEvents(h.engine, output.run_id, -1, 600_000);
    const readMs = Date.now() - read;
    assert.equal(events[0]?.event, 'WorkflowStarted');
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
    assert.equal(events.filter((event) => event.event === 'WorkflowStarted').length, 1, 'continuing as new starts no new run');
    const iterations = events.flatMap((event) => (event.event === 'LoopIterationStarted' ? [event.iteration] : []));
    assert.ok(iterations.length === ITERATIONS && iterations.every((n, i) => n === i + 1), `iterations 1 to ${ITERATIONS}, each once`);
    const last = events.at(-1)!;
    assert.ok(last.event === 'WorkflowCompleted' && last.step_results[0]!.steps!.length === 100, 'the Loop lists its latest 100 results');

    const sizes = await executionSizes(h.engine.client, output.run_id);
    console.log(`Loop of ${ITERATIONS}: ran in ${ran} ms, ${events.length} events read in ${readMs} ms; ${describeSizes(sizes)}`);
    assert.ok(sizes.length > 1, 'the run continued as new');
    assertWithinHistoryBudget(sizes);
  });
});
