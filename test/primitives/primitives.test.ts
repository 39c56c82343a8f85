/**
 * Agno's building blocks end to end on a real Temporal server with the fake OpenAI: Parallel
 * (really concurrent), Condition, Loop, Router, Steps, function steps with StepInput, and step
 * options (retries, skip, pause).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { Agent } from '../../src/definitions/agent.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Condition, Loop, Parallel, Router, Steps } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { defaultPayloadConverter } from '@temporalio/common';
import { replayHistory } from '../../src/replay/replay.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
const writer = (name: string) => new Agent({ name, model, role: `I am ${name}` });
/**
 * Parallel branches that cannot finish before both have started: each waits for the other. Run
 * one after the other, the first would wait in vain and fail, whatever the machine's speed.
 */
const branchesStarted = new Set<string>();
const meeting = (name: string) =>
  new Step({
    name,
    executor: async (input: StepInput) => {
      branchesStarted.add(name);
      const otherStarted = () => branchesStarted.size === 2;
      // Not retried: waiting again would not make the branches overlap.
      await waitUntil(`the other parallel branch to start while ${name} runs`, otherStarted, { timeoutMs: 20_000, intervalMs: 10 }).catch((err: Error) => {
        throw ApplicationFailure.nonRetryable(err.message);
      });
      return `${name} saw ${input.previousStepContent ?? input.input}`;
    },
  });
let flaky = 0;

const parallel = new Workflow({ name: 'Parallel Flow', steps: [new Parallel('Gather', meeting('A'), meeting('B')), new Step({ name: 'Summarize', agent: writer('Summarizer') })] });
const condition = new Workflow({
  name: 'Condition Flow',
  steps: [
    new Condition({ name: 'Is tech', evaluator: (input: StepInput) => input.input.includes('AI'), steps: [new Step({ name: 'Tech', agent: writer('Tech Writer') })], elseSteps: [new Step({ name: 'General', agent: writer('General Writer') })] }),
  ],
});
const loop = new Workflow({
  name: 'Loop Flow',
  steps: [
    new Loop({
      name: 'Refine',
      maxIterations: 5,
      steps: [new Step({ name: 'Improve', executor: (input: StepInput) => `${input.previousStepContent ?? input.input}+` })],
      endCondition: (outputs) => outputs.at(-1)!.content.endsWith('+++'),
    }),
  ],
});
const router = new Workflow({
  name: 'Router Flow',
  steps: [
    new Router({
      name: 'Pick',
      selector: (input: StepInput) => (input.input.startsWith('code') ? 'Coder' : 'Poet'),
      choices: [new Step({ name: 'Coder', agent: writer('Coder Agent') }), new Step({ name: 'Poet', agent: writer('Poet Agent') })],
    }),
  ],
});
const sequence = new Workflow({
  name: 'Steps Flow',
  steps: [
    new Steps('Prepare', [new Step({ name: 'Upper', executor: (input: StepInput) => input.input.toUpperCase() }), new Step({ name: 'Exclaim', executor: (input: StepInput) => `${input.previousStepContent}!` })]),
    new Step({ name: 'Report', executor: (input: StepInput) => `${input.getStepContent('Upper')} then ${input.getStepContent('Exclaim')}` }),
  ],
});
const options = new Workflow({
  name: 'Options Flow',
  steps: [
    new Step({
      name: 'Flaky',
      retries: 2,
      executor: () => {
        flaky += 1;
        if (flaky < 3) throw new Error(`transient failure ${flaky}`);
        return 'third time lucky';
      },
    }),
    new Step({ name: 'Broken', skipOnFailure: true, executor: () => { throw ApplicationFailure.nonRetryable('always broken'); } }),
    new Step({ name: 'After', executor: (input: StepInput) => `after ${input.previousStepContent}` }),
  ],
});

function shout_topic(input: StepInput): string {
  return input.input.toUpperCase();
}
/** Every kind of user function: a named step function, a Condition evaluator, a Router selector, a Loop end condition. */
const userFunctions = new Workflow({
  name: 'User Functions Flow',
  steps: [
    new Step({ name: 'Shout', executor: shout_topic }),
    new Condition({ name: 'Is loud', evaluator: (input: StepInput) => input.previousStepContent === input.input.toUpperCase(), steps: [new Step({ name: 'Loud', executor: () => 'loud' })] }),
    new Router({ name: 'Pick', selector: () => 'Second', choices: [new Step({ name: 'First', executor: () => '1' }), new Step({ name: 'Second', executor: () => '2' })] }),
    new Loop({ name: 'Again', maxIterations: 2, steps: [new Step({ name: 'Once', executor: () => 'once' })], endCondition: () => true }),
  ],
});

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker([parallel, condition, loop, router, sequence, options, userFunctions]);
  h.openai.setHandler((req) => ({ kind: 'text', text: `${req.system.match(/I am ([\w ]+)/)?.[1]}: ${req.lastUserText}` }));
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

const eventsOf = (runId: string) => collectEvents(h.engine, runId);

describe('primitives', () => {
  it('Parallel runs its steps at the same time and joins their content', async () => {
    const output = await parallel.arun({ input: 'topic', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.deepEqual([...branchesStarted].sort(), ['A', 'B'], 'both branches ran, each seeing the other start before it finished');
    assert.equal(output.step_results[0]?.content, '## A\n\nA saw topic\n\n## B\n\nB saw topic');
    assert.equal(output.content, 'Summarizer: ## A\n\nA saw topic\n\n## B\n\nB saw topic');
    const names = (await eventsOf(output.run_id)).map((e) => e.event);
    assert.ok(names.indexOf('ParallelExecutionStarted') < names.indexOf('ParallelExecutionCompleted'));
  });

  it('Condition takes the branch its evaluator picks', async () => {
    const tech = await condition.arun({ input: 'AI agents', engine: h.engine });
    assert.equal(tech.content, 'Tech Writer: AI agents');
    const general = await condition.arun({ input: 'gardening', engine: h.engine });
    assert.equal(general.content, 'General Writer: gardening');
    const completed = (await eventsOf(general.run_id)).find((e) => e.event === 'ConditionExecutionCompleted');
    assert.equal(completed?.condition_result, false);
    assert.equal(completed?.branch, 'else');
  });

  it('Loop repeats until its end condition holds', async () => {
    const output = await loop.arun({ input: 'draft', engine: h.engine });
    assert.equal(output.content, 'draft+++');
    const events = await eventsOf(output.run_id);
    assert.equal(events.filter((e) => e.event === 'LoopIterationCompleted').length, 3);
    assert.equal(events.find((e) => e.event === 'LoopExecutionCompleted')?.total_iterations, 3);
  });

  it('Router runs the choice its selector picks', async () => {
    const output = await router.arun({ input: 'code a parser', engine: h.engine });
    assert.equal(output.content, 'Coder Agent: code a parser');
    assert.deepEqual((await eventsOf(output.run_id)).find((e) => e.event === 'RouterExecutionStarted')?.selected_steps, ['Coder']);
    assert.equal(h.openai.count(), 1);
  });

  it('Steps chains a named sequence; function steps read earlier outputs by name', async () => {
    const output = await sequence.arun({ input: 'hello', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'HELLO then HELLO!');
    assert.deepEqual(output.step_results[0]?.steps?.map((s) => s.content), ['HELLO', 'HELLO!']);
  });

  it('step options: retries, and skip on failure', async () => {
    const output = await options.arun({ input: 'go', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(flaky, 3, 'two retries');
    assert.deepEqual(output.step_results.map((s) => [s.step_name, s.success]), [['Flaky', true], ['Broken', false], ['After', true]]);
    assert.equal(output.content, 'after third time lucky', 'a skipped step passes its input on');
    assert.match(String((await eventsOf(output.run_id)).find((e) => e.event === 'StepError')?.error), /always broken/);
  });
});

describe('user functions in the Temporal history', () => {
  it('run as their own activity type, with their own timeout and Web UI summaries, and replay', async () => {
    const output = await userFunctions.arun({ input: 'quiet', engine: h.engine, timeouts: { userFunctionTimeoutMs: 45_000 } });
    assert.equal(output.status, 'COMPLETED', output.error);
    const history = await h.engine.client.workflow.getHandle(output.run_id).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).map((e) => ({
      type: e.activityTaskScheduledEventAttributes!.activityType?.name,
      summary: defaultPayloadConverter.fromPayload(e.userMetadata!.summary!),
      timeoutSeconds: Number(e.activityTaskScheduledEventAttributes!.startToCloseTimeout?.seconds),
    }));
    assert.deepEqual(scheduled, [
      { type: 'callUserFunction', summary: 'Shout · function shout_topic', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Is loud · condition evaluator', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Loud · function', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Pick · route selector', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Second · function', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Once · function', timeoutSeconds: 45 },
      { type: 'callUserFunction', summary: 'Again · end condition', timeoutSeconds: 45 },
      // The run's end, which no other activity follows, reaches the run store by an activity of its own.
      { type: 'recordRun', summary: 'run store · record events up to 17 (completed)', timeoutSeconds: 60 },
    ]);
    // The new path records its patch marker, so this history replays on it.
    const replay = await replayHistory(history);
    assert.equal(replay.ok, true, replay.error?.message);
  });
});
