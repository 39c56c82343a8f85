/**
 * What a start may ask of Temporal beyond the run itself: a time limit past which the run ends
 * ERROR with its terminal event and its model call in flight cancelled (also after continuing as
 * new: the deadline is absolute; every execution replays; a wait for a person does not count), and a priority that reaches the
 * workflow's start and is kept when it continues as new (its activities inherit it: Temporal's rule).
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { apiSettingsFromEnv } from '../../src/os/api-env.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { bundleWorkflows } from '../../src/worker/create-worker.ts';
import { assertReplays } from '../data-plane/support/executions.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { postJson, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

const waiting = new Workflow({ name: 'Waiting', steps: [new Step({ name: 'Ask', agent: new Agent({ name: 'Asker', model: new OpenAIResponses({ id: 'gpt-5.2' }), role: 'Asks' }) })] });
const count = new Step({
  name: 'Count',
  executor: async (input: StepInput) => {
    await delay(100);
    return String(Number(input.previousStepContent ?? input.input) + 1);
  },
});
const counting = new Workflow({ name: 'Counting', steps: [new Loop({ name: 'Repeat', maxIterations: 1000, steps: [count] })] });
/** Asks a person first, then writes with a model. */
const approved = new Workflow({
  name: 'Approved Writing',
  steps: [
    new Step({ name: 'Approve', requiresConfirmation: true, executor: (input: StepInput) => `approved ${input.input}` }),
    new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }), role: 'Writes' }) }),
  ],
});

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([waiting, counting, approved]);
});
after(async () => h?.close());
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(() => ({ kind: 'hang' }));
});

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;

describe('a run’s time limit', () => {
  it('ends the run ERROR with its terminal event, its model call in flight cancelled', async () => {
    const stream = await postJson(runsUrl('waiting'), { message: 'anyone?', timeout_seconds: 2 });
    assert.equal(stream.status, 200);
    const { events } = await readFrames(stream, Infinity, 60_000);
    const last = events.at(-1)!;
    assert.equal(last.event, 'WorkflowError');
    assert.match(String((last as { error: string }).error), /Run exceeded its timeout of 2 s\./);
    const run = (await (await fetch(`${runsUrl('waiting')}/${last.run_id}`)).json()) as { status: string; error: string };
    assert.equal(run.status, 'ERROR');
    assert.match(run.error, /exceeded its timeout of 2 s/);
    await waitUntil('the model call to be cancelled', () => h.openai.aborted > 0, { timeoutMs: 60_000 });
  });

  it('holds across continue-as-new: the deadline is carried, not restarted', async () => {
    const { output } = await h.engine.startRun(counting.toPlan(), { input: '0', timeoutSeconds: 4, historyBudget: { events: 60 }, priority: 2 });
    const done = await h.engine.waitForRun(output.run_id);
    assert.equal(done.status, 'ERROR');
    assert.match(String(done.error), /exceeded its timeout of 4 s/);
    let executions = 0;
    for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${output.run_id}'` })) executions++;
    assert.ok(executions > 1, `the run continued as new (${executions} executions)`);
    assert.equal((await h.engine.client.workflow.getHandle(output.run_id).describe()).priority?.priorityKey, 2, 'its last execution kept the priority');
    // The timer is behind a patch: every execution, the one the timer ended too, replays against this code.
    await assertReplays(h.engine.client, output.run_id, await bundleWorkflows());
  });

  it('stands still while a person decides: a wait longer than the limit ends nothing, the rest of the budget still holds', async () => {
    const started = (await (await postJson(runsUrl('approved-writing'), { message: 'the post', stream: false, background: true, timeout_seconds: 3 })).json()) as { run_id: string };
    const runUrl = `${runsUrl('approved-writing')}/${started.run_id}`;
    await waitUntil('the run to wait for a person', async () => ((await (await fetch(runUrl)).json()) as { status: string }).status === 'PAUSED', { timeoutMs: 30_000 });
    // Twice the limit, waiting for the answer.
    await delay(6_000);
    assert.equal(((await (await fetch(runUrl)).json()) as { status: string }).status, 'PAUSED', 'still waiting, not timed out');
    const continued = await postJson(`${runUrl}/continue`, { step_requirements: [{ step_id: 'approve', confirmed: true }], stream: false, background: true });
    assert.ok(continued.ok, `continue: ${continued.status}`);
    // The model hangs: the rest of the run's own 3 s ends it.
    const done = await h.engine.waitForRun(started.run_id);
    assert.equal(done.status, 'ERROR');
    assert.match(String(done.error), /exceeded its timeout of 3 s/);
    assert.equal(h.openai.requests.length, 1, 'the writer was called after the answer');
  });

  it('defaults to the deployment’s, an hour unless RUN_TIMEOUT_SECONDS says', () => {
    assert.equal(apiSettingsFromEnv({}).runTimeoutSeconds, 3600);
    assert.equal(apiSettingsFromEnv({ RUN_TIMEOUT_SECONDS: '0' }).runTimeoutSeconds, 0);
    assert.throws(() => apiSettingsFromEnv({ RUN_TIMEOUT_SECONDS: '-1' }), /RUN_TIMEOUT_SECONDS must be an integer of at least 0/);
  });
});

describe('a run’s priority', () => {
  it('reaches the workflow’s start; a run that asks none has Temporal’s default', async () => {
    const asked = (await (await postJson(runsUrl('waiting'), { message: 'urgent', stream: false, background: true, priority: 1 })).json()) as { run_id: string };
    const plain = (await (await postJson(runsUrl('waiting'), { message: 'whenever', stream: false, background: true })).json()) as { run_id: string };
    const urgent = await h.engine.client.workflow.getHandle(asked.run_id).describe();
    assert.equal(urgent.priority?.priorityKey, 1);
    assert.ok(!(await h.engine.client.workflow.getHandle(plain.run_id).describe()).priority?.priorityKey, 'no priority key');
    assert.equal((await postJson(runsUrl('waiting'), { message: 'x', stream: false, background: true, priority: 6 })).status, 422);
    for (const id of [asked.run_id, plain.run_id]) await fetch(`${runsUrl('waiting')}/${id}/cancel`, { method: 'POST' });
  });
});
