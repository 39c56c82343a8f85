/**
 * Human in the loop over HTTP: a step that needs confirmation or input pauses the run
 * (WorkflowPaused with its requirements); the run survives a restart of worker and API while
 * paused, and continues through AgentOS's /continue. Also: nested workflows as child workflows.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { postForm, postJson, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish this draft?', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});
const intake = new Workflow({
  name: 'Intake',
  steps: [
    new Step({
      name: 'Ask',
      requiresUserInput: true,
      userInputMessage: 'Which city?',
      userInputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      executor: (input: StepInput) => `weather for ${String(input.userInput?.city)}`,
    }),
    new Step({ name: 'Timed', requiresConfirmation: true, humanTimeoutMs: 500, onTimeout: 'skip', executor: () => 'should not run' }),
  ],
});
const inner = new Workflow({ name: 'Inner', steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Inner Writer', model }) })] });
const outer = new Workflow({ name: 'Outer', steps: [new Step({ name: 'Nested', workflow: inner }), new Step({ name: 'Wrap', executor: (input: StepInput) => `[${input.previousStepContent}]` })] });

let h: ApiHarness;
/** The API's URL: the first test replaces the API process mid-test. */
let apiUrl: string;
before(async () => {
  h = await startApiHarness([approval, intake, outer]);
  apiUrl = h.api.url;
  h.openai.setHandler((req) => ({ kind: 'text', text: `inner: ${req.lastUserText}` }));
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

async function waitFor(url: string, status: string): Promise<Record<string, unknown>> {
  return waitUntil(`${url} to reach ${status}`, async () => {
    const body = (await (await fetch(url)).json()) as Record<string, unknown>;
    return body.status === status && body;
  });
}

describe('human in the loop', () => {
  it('pauses for confirmation, survives a worker and API restart, and continues through /continue', async () => {
    const base = `${apiUrl}/workflows/approval/runs`;
    const { run_id } = (await (await postForm(base, { message: 'news', stream: 'false', background: 'true' })).json()) as { run_id: string };
    const paused = await waitFor(`${base}/${run_id}`, 'PAUSED');
    const requirements = paused.step_requirements as { step_id: string; requires_confirmation: boolean; confirmation_message: string }[];
    assert.deepEqual(requirements.map((r) => [r.step_id, r.requires_confirmation, r.confirmation_message]), [['publish', true, 'Publish this draft?']]);

    // Restart everything but Temporal while the run waits.
    await h.api.close();
    await h.restartWorkers();
    apiUrl = (await h.serve()).url;
    const url = `${apiUrl}/workflows/approval/runs/${run_id}`;
    assert.equal(((await (await fetch(url)).json()) as { status: string }).status, 'PAUSED');

    assert.equal((await postJson(`${url}/continue`, { step_requirements: [{ step_id: 'nope', confirmed: true }], stream: false })).status, 422);
    assert.equal((await postJson(`${url}/continue`, { step_requirements: [{ step_id: 'publish' }], stream: false })).status, 422, 'confirmed is required');
    const form = await postForm(`${url}/continue`, { step_requirements: JSON.stringify([{ step_id: 'publish', confirmed: true }]), stream: 'false' });
    assert.equal(form.status, 200);
    const done = (await form.json()) as { status: string; content: string };
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'published draft of news');
    assert.equal((await postJson(`${url}/continue`, { step_requirements: [{ step_id: 'publish', confirmed: true }] })).status, 409, 'not paused any more');
    const events = (await readFrames(await fetch(`${url}/events`))).events;
    const names = events.map((e: RunEvent) => e.event);
    assert.ok(names.indexOf('WorkflowPaused') < names.indexOf('StepContinued'));
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  });

  it('asks for input validated by its schema, and applies the timeout policy', async () => {
    const base = `${apiUrl}/workflows/intake/runs`;
    const { run_id } = (await (await postForm(base, { message: 'x', stream: 'false', background: 'true' })).json()) as { run_id: string };
    const paused = await waitFor(`${base}/${run_id}`, 'PAUSED');
    assert.equal((paused.step_requirements as { user_input_message: string }[])[0]?.user_input_message, 'Which city?');
    const bad = await postJson(`${base}/${run_id}/continue`, { step_requirements: [{ step_id: 'ask', user_input: { town: 'Oslo' } }], stream: false });
    assert.equal(bad.status, 422);
    assert.match(((await bad.json()) as { detail: string }).detail, /user_input.city is required/);
    // Streaming continue: the rest of the run, after the pause.
    const stream = await readFrames(await postJson(`${base}/${run_id}/continue`, { step_requirements: [{ step_id: 'ask', user_input: { city: 'Oslo' } }] }));
    assert.equal(stream.events[0]?.event, 'StepContinued');
    assert.equal(stream.events.at(-1)?.event, 'WorkflowCompleted');
    const done = (await (await fetch(`${base}/${run_id}`)).json()) as { content: string; step_results: { step_name: string; success: boolean }[] };
    assert.deepEqual(done.step_results.map((s) => [s.step_name, s.success]), [['Ask', true], ['Timed', false]], 'nobody answered Timed in time: skipped');
    assert.equal(done.content, 'weather for Oslo');
  });
});

describe('nested workflows', () => {
  it('runs a workflow as a step, in a child workflow of its own', async () => {
    const output = await outer.arun({ input: 'hello', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, '[inner: hello]');
    const history = await h.engine.client.workflow.getHandle(output.run_id).fetchHistory();
    const started = history.events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    const childId = started?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
    assert.ok(childId?.startsWith(`${output.run_id}.nested.`));
    const child = await h.engine.getRun(childId!);
    assert.equal(child?.workflow_id, 'inner');
    assert.equal(child?.content, 'inner: hello');
  });
});
