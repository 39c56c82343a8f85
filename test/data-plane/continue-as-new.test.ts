/**
 * Continue-as-new is invisible from the outside. With a small history budget, runs move to new
 * executions between agent turns and Loop iterations, and still: the agent's conversation is
 * whole at every turn, a person answers a step after the move, cancel ends the run, a retry goes
 * on from the failed step, the log is one gapless sequence with one WorkflowStarted per attempt,
 * and every execution replays against the current code.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowBundle } from '@temporalio/worker';
import type { RunEvent } from '../../src/contracts/events.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { bundleWorkflows } from '../../src/worker/create-worker.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { historyOf, lastWorkflowTaskBeforeFailure, resetRun } from '../support/operator-reset.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { assertReplays, assertWithinHistoryBudget, describeSizes, executionSizes } from './support/executions.ts';
import { useLocalDataDir } from '../support/local-data-dir.ts';
import type { LocalDataDir } from '../support/local-data-dir.ts';

/** Small enough that these runs move several times. */
const BUDGET = { events: 120 };
const TURNS = 30;
/** Note `n`: every fifth one 10 KB (kept by reference), the others a line. */
const noteText = (n: number) => (n % 5 === 0 ? `note ${n} `.padEnd(10 * 1024, '.') : `note ${n}`);
const takeNote = defineTool<{ n: number }>({
  name: 'take_note',
  description: 'Takes note n.',
  parameters: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  execute: ({ n }) => noteText(n),
});
const noter = new Workflow({
  name: 'Noter',
  steps: [new Step({ name: 'Take Notes', agent: new Agent({ name: 'Note Taker', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [takeNote], maxTurns: TURNS + 5 }) })],
});

const state = { broken: true, counted: 0, slowMs: 0 };
const count = new Step({
  name: 'Count',
  executor: async (input: StepInput) => {
    state.counted++;
    if (state.slowMs) await delay(state.slowMs);
    return String(Number(input.previousStepContent ?? input.input) + 1);
  },
});
const loopThenAsk = new Workflow({
  name: 'Loop Then Ask',
  steps: [new Loop({ name: 'Repeat', maxIterations: 40, steps: [count] }), new Step({ name: 'Approve', requiresConfirmation: true, executor: (input: StepInput) => `approved ${input.previousStepContent}` })],
});
const endless = new Workflow({ name: 'Endless', steps: [new Loop({ name: 'Repeat', maxIterations: 100_000, steps: [count] })] });
const loopThenFail = new Workflow({
  name: 'Loop Then Fail',
  steps: [
    new Loop({ name: 'Repeat', maxIterations: 30, steps: [count] }),
    new Step({
      name: 'Publish',
      executor: (input: StepInput) => {
        if (state.broken) throw ApplicationFailure.nonRetryable('publishing is broken', 'Broken');
        return `published ${input.previousStepContent}`;
      },
    }),
  ],
});

describe('continue-as-new, invisible from the outside', () => {
  let h: Harness;
  let data: LocalDataDir;
  let bundle: WorkflowBundle;
  before(async () => {
    data = await useLocalDataDir('continue-as-new');
    h = await startHarness();
    await h.startWorker([noter, loopThenAsk, endless, loopThenFail]);
    bundle = await bundleWorkflows();
  });
  after(async () => {
    await h?.close();
    await data?.restore();
  });

  /** The run is listed once, with its status and the time of its first start, however many executions carried it. */
  async function assertListedOnce(runId: string, status: string, createdAt: number): Promise<void> {
    const listed = await waitUntil(`run ${runId} to be listed ${status}`, async () => {
      const runs = (await h.engine.listRuns({ limit: 1000 })).filter((run) => run.run_id === runId);
      return runs.length > 0 && runs.every((run) => run.status === status) && runs;
    });
    assert.equal(listed.length, 1, 'listed once');
    assert.equal(listed[0]!.created_at, createdAt);
  }

  /** The run's log: gapless, ending with `last`; its executions moved at least once, each within budget, each replaying. */
  async function checkRun(runId: string, last: RunEvent['event'], what: string): Promise<RunEvent[]> {
    const events = await collectEvents(h.engine, runId, -1, 120_000);
    assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
    assert.equal(events.at(-1)?.event, last);
    const sizes = await executionSizes(h.engine.client, runId);
    console.log(`${what}: ${describeSizes(sizes)}`);
    assert.ok(sizes.length >= 3, `the run moved to new executions (${sizes.length})`);
    assertWithinHistoryBudget(sizes);
    await assertReplays(h.engine.client, runId, bundle);
    return events;
  }

  it('between agent turns: the model sees the whole conversation at every turn', async () => {
    const problems: string[] = [];
    h.openai.setHandler((req: FakeRequest): FakeReply => {
      req.toolResults.forEach((result, i) => {
        if (result.output !== noteText(i + 1)) problems.push(`turn ${req.toolResults.length + 1}: note ${i + 1} is ${result.output.slice(0, 20)}`);
      });
      const next = req.toolResults.length + 1;
      return next <= TURNS ? { kind: 'tool_calls', calls: [{ name: 'take_note', arguments: { n: next } }] } : { kind: 'text', text: `Noted ${TURNS}.` };
    });
    const { output: started } = await h.engine.startRun(noter.toPlan(), { input: 'Take the notes.', historyBudget: BUDGET });
    const output = await withDeadline('the agent run', h.engine.waitForRun(started.run_id), 180_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, `Noted ${TURNS}.`);
    assert.deepEqual(problems, []);
    assert.equal(h.openai.count(), TURNS + 1, 'no model call made twice');
    assert.ok((output.metrics?.steps['Take Notes']?.metrics.total_tokens ?? 0) > 0, 'the step counts its tokens across executions');
    const events = await checkRun(output.run_id, 'WorkflowCompleted', `an agent of ${TURNS} turns`);
    for (const name of ['WorkflowStarted', 'StepStarted', 'RunStarted', 'RunCompleted', 'StepCompleted'] as const) {
      assert.equal(events.filter((event) => event.event === name).length, 1, `one ${name}`);
    }
    assert.equal(new Set(events.flatMap((event) => (event.event.startsWith('Run') || event.event.startsWith('Tool') ? [event.run_id] : []))).size, 1, 'one agent run id');
    const notes = events.flatMap((event) => (event.event === 'ToolCallCompleted' ? [event.content] : []));
    assert.deepEqual(notes, Array.from({ length: TURNS }, (_, i) => noteText(i + 1)));
    await assertListedOnce(output.run_id, 'COMPLETED', output.created_at);
  });

  it('between Loop iterations, then a person answers the next step', async () => {
    state.counted = 0;
    const { output: started } = await h.engine.startRun(loopThenAsk.toPlan(), { input: '0', historyBudget: BUDGET });
    const runId = started.run_id;
    const paused = await waitUntil(`run ${runId} to wait for a person`, async () => {
      const run = await h.engine.getRun(runId);
      return run?.status === 'PAUSED' && run;
    }, { timeoutMs: 120_000 });
    assert.equal(paused.step_requirements?.[0]?.step_id, 'approve');
    await h.engine.continueRun(runId, [{ step_id: 'approve', confirmed: true }]);
    const output = await withDeadline('the confirmed run', h.engine.waitForRun(runId), 60_000);
    assert.equal(output.content, 'approved 40');
    assert.equal(state.counted, 40, 'each iteration ran once');
    const events = await checkRun(runId, 'WorkflowCompleted', 'a Loop of 40 and a confirmed step');
    assert.deepEqual(events.flatMap((event) => (event.event === 'LoopIterationStarted' ? [event.iteration] : [])), Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('cancel ends a run that has moved', async () => {
    Object.assign(state, { counted: 0, slowMs: 20 });
    try {
      const { output: started } = await h.engine.startRun(endless.toPlan(), { input: '0', historyBudget: BUDGET });
      const runId = started.run_id;
      await waitUntil(`run ${runId} to move twice`, async () => (await executionSizes(h.engine.client, runId)).length >= 3, { timeoutMs: 120_000, intervalMs: 500 });
      await h.engine.cancel(runId);
      const output = await withDeadline('the cancelled run', h.engine.waitForRun(runId), 60_000);
      assert.equal(output.status, 'CANCELLED');
      await checkRun(runId, 'WorkflowCancelled', 'a cancelled Loop');
    } finally {
      state.slowMs = 0;
    }
  });

  it('a retry after the run moved goes on from the failed step', async () => {
    Object.assign(state, { counted: 0, broken: true });
    const { output: started } = await h.engine.startRun(loopThenFail.toPlan(), { input: '0', historyBudget: BUDGET });
    const failed = await withDeadline('the first attempt', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(failed.status, 'ERROR');
    state.broken = false;
    await h.engine.retryRun(failed.run_id);
    const output = await withDeadline('the retry', h.engine.waitForRun(failed.run_id), 60_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'published 30');
    assert.equal(state.counted, 30, 'the Loop was not run again');
    const events = await checkRun(failed.run_id, 'WorkflowCompleted', 'a Loop of 30, failed and retried');
    assert.deepEqual(events.filter((event) => event.event.startsWith('Workflow')).map((event) => event.event), ['WorkflowStarted', 'WorkflowError', 'WorkflowStarted', 'WorkflowCompleted']);
    await assertListedOnce(failed.run_id, 'COMPLETED', failed.created_at);
  });

  it('an operator’s reset after the run moved keeps the one log of every execution', async () => {
    Object.assign(state, { counted: 0, broken: true });
    const { output: started } = await h.engine.startRun(loopThenFail.toPlan(), { input: '0', historyBudget: BUDGET });
    const failed = await withDeadline('the first attempt', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(failed.status, 'ERROR');
    const before = await collectEvents(h.engine, failed.run_id, -1, 60_000);
    state.broken = false;
    // The Web UI's Reset of the failed execution, to the workflow task that scheduled the failed call.
    const { client } = h.engine;
    await resetRun(client, failed.run_id, lastWorkflowTaskBeforeFailure(await historyOf(client, failed.run_id)), 'publishing is fixed');
    const output = await withDeadline('the reset run', h.engine.waitForRun(failed.run_id), 60_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'published 30');
    assert.equal(state.counted, 30, 'the Loop was not run again');
    const events = await checkRun(failed.run_id, 'WorkflowCompleted', 'a Loop of 30, failed and reset');
    assert.deepEqual(events.slice(0, before.length), before, 'the events of every execution before the reset are kept');
    assert.equal(events[before.length]?.event, 'WorkflowReset');
    await assertListedOnce(failed.run_id, 'COMPLETED', failed.created_at);
  });
});
