/**
 * An agent's tools that wait for a person, over HTTP as Agno's AgentOS serves them: a call that
 * needs confirmation, input or an external result pauses the agent's run (RunPaused, PAUSED with
 * its `requirements`), and `continue` with Agno's `tools` answers it: confirmed, the tool runs;
 * rejected, the model is told; input, the tool runs with it; external, the result is the output.
 * Answers that do not fit, or come twice, are refused; a paused run cancels. The wait does not
 * count against the run's time limit, and in a workflow's step nobody is asked. Real Temporal,
 * real HTTP, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DurableAgentsClient } from '../../../src/client/client.ts';
import { Step } from '../../../src/definitions/step.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import { postForm, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { desk, deskScript, toolRuns } from './support/desk-agent.ts';

/** The same agent as a workflow's step: no one there can answer its tools. */
const deskWork = new Workflow({ name: 'Desk Work', steps: [new Step({ name: 'Desk', agent: desk })] });

type Paused = { run_id: string; status: string; tools: Record<string, unknown>[]; requirements: { tool_execution: Record<string, unknown> }[] };

let h: ApiHarness;
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([deskWork], { runnables: servedRunnables({ agents: [desk] }), heartbeatMs: 200 });
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(deskScript);
  toolRuns.length = 0;
});

const url = (path: string) => `${h.api.url}${path}`;

/** Starts a run that pauses, waiting for it (stream=false): its paused RunOutput. */
async function pausedRun(message: string): Promise<Paused> {
  const response = await postForm(url('/agents/desk/runs'), { message, stream: 'false' });
  assert.equal(response.status, 200);
  const run = (await response.json()) as Paused;
  assert.equal(run.status, 'PAUSED');
  return run;
}

/** Continues a run with Agno's `tools`: the paused calls with `answer` set on them. */
function continueWith(run: Paused, answer: Record<string, unknown>, stream = false): Promise<Response> {
  const tools = run.tools.map((tool) => ({ ...tool, ...answer }));
  return postForm(url(`/agents/desk/runs/${run.run_id}/continue`), { tools: JSON.stringify(tools), stream: String(stream) });
}

describe('a tool that needs confirmation', () => {
  it('pauses the streamed run at RunPaused, then a confirmed continue streams the tool and the answer', async () => {
    const { events } = await readFrames(await postForm(url('/agents/desk/runs'), { message: 'delete my notes' }));
    const paused = events.at(-1) as unknown as Paused & { event: string };
    assert.equal(paused.event, 'RunPaused', 'the stream ends at the pause');
    assert.deepEqual(events.map((event) => event.event).filter((name) => name.startsWith('ToolCall')), [], 'no tool ran before the answer');
    assert.equal(paused.tools[0]!.tool_name, 'delete_file');
    assert.equal(paused.tools[0]!.requires_confirmation, true);
    assert.deepEqual(paused.requirements[0]!.tool_execution.tool_args, { path: 'notes.txt' });

    const read = (await (await fetch(url(`/agents/desk/runs/${paused.run_id}`))).json()) as Paused;
    assert.equal(read.status, 'PAUSED');
    assert.equal(read.requirements.length, 1);

    const continued = await readFrames(await continueWith(read, { confirmed: true }, true));
    const names = continued.events.map((event) => event.event as string);
    assert.equal(names[0], 'RunContinued');
    assert.ok(names.indexOf('ToolCallStarted') < names.indexOf('ToolCallCompleted'));
    const end = continued.events.at(-1) as unknown as { event: string; content: string };
    assert.equal(end.event, 'RunCompleted');
    assert.equal(end.content, 'Done: Deleted notes.txt');
    assert.deepEqual(toolRuns, [{ tool: 'delete_file', args: { path: 'notes.txt' } }]);

    const done = (await (await fetch(url(`/agents/desk/runs/${paused.run_id}`))).json()) as { status: string; tools: Record<string, unknown>[] };
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.tools[0]!.confirmed, true);
  });

  it('tells the model of a rejection and runs nothing', async () => {
    const run = await pausedRun('delete my notes');
    const response = await continueWith(run, { confirmed: false });
    assert.equal(response.status, 200);
    const done = (await response.json()) as { status: string; content: string; tools: Record<string, unknown>[] };
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'Done: Function call was rejected by the user');
    assert.deepEqual(toolRuns, []);
    assert.equal(done.tools[0]!.confirmed, false);
    assert.equal(done.tools[0]!.confirmation_note, 'Tool call was rejected');
  });

  it('takes one answer: a second continue, and a continue of a run not paused, are conflicts', async () => {
    const run = await pausedRun('delete my notes');
    assert.equal((await continueWith(run, { confirmed: true })).status, 200);
    const again = await continueWith(run, { confirmed: true });
    assert.equal(again.status, 409);
    assert.equal(toolRuns.length, 1);
  });

  it('cancels a paused run: CANCELLED, and no continue after', async () => {
    const run = await pausedRun('delete my notes');
    assert.equal((await fetch(url(`/agents/desk/runs/${run.run_id}/cancel`), { method: 'POST' })).status, 200);
    await waitUntil('the run to end cancelled', async () => ((await (await fetch(url(`/agents/desk/runs/${run.run_id}`))).json()) as Paused).status === 'CANCELLED');
    assert.equal((await continueWith(run, { confirmed: true })).status, 409);
    assert.deepEqual(toolRuns, []);
  });

  it('refuses an answer that does not fit the call, and keeps waiting', async () => {
    const run = await pausedRun('delete my notes');
    const unanswered = await continueWith(run, {});
    assert.equal(unanswered.status, 422);
    assert.match(((await unanswered.json()) as { detail: string }).detail, /confirmed/);
    const none = await postForm(url(`/agents/desk/runs/${run.run_id}/continue`), { tools: '[]', stream: 'false' });
    assert.equal(none.status, 422);
    const read = (await (await fetch(url(`/agents/desk/runs/${run.run_id}`))).json()) as Paused;
    assert.equal(read.status, 'PAUSED');
    assert.equal((await continueWith(run, { confirmed: false })).status, 200);
  });
});

describe('the run’s time limit', () => {
  it('stands still while a person decides: a wait past the limit ends nothing', async () => {
    const response = await postForm(url('/agents/desk/runs'), { message: 'delete my notes', stream: 'false', timeout_seconds: '1' });
    const run = (await response.json()) as Paused;
    assert.equal(run.status, 'PAUSED');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const read = (await (await fetch(url(`/agents/desk/runs/${run.run_id}`))).json()) as Paused;
    assert.equal(read.status, 'PAUSED', 'still waiting, not timed out');
    const done = (await (await continueWith(run, { confirmed: true })).json()) as { status: string };
    assert.equal(done.status, 'COMPLETED');
  });
});

describe('a tool that needs input', () => {
  it('asks for the fields the model is not given, and runs with the values a person fills in', async () => {
    const run = await pausedRun('email the team');
    const offered = (h.openai.requests[0]!.body as { tools: { name: string; parameters: { properties: object } }[] }).tools.find((tool) => tool.name === 'send_email')!;
    assert.deepEqual(Object.keys(offered.parameters.properties), ['subject'], 'the model is not asked for the address');
    const schema = run.tools[0]!.user_input_schema as { name: string; value: unknown }[];
    assert.deepEqual(schema.map((field) => [field.name, field.value]), [['to', null], ['subject', 'Hello']]);
    const filled = schema.map((field) => (field.name === 'to' ? { ...field, value: 'team@example.com' } : field));
    const response = await continueWith(run, { user_input_schema: filled });
    const done = (await response.json()) as { status: string; content: string };
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'Done: Sent "Hello" to team@example.com');
    assert.deepEqual(toolRuns, [{ tool: 'send_email', args: { subject: 'Hello', to: 'team@example.com' } }]);
  });
});

describe('a tool run elsewhere', () => {
  it('gives the model the result sent with continue (through the TypeScript client)', async () => {
    const client = new DurableAgentsClient({ baseUrl: h.api.url });
    const run = await client.runRunnable('agents', 'desk', { message: 'price of NVDA' });
    assert.equal(run.status, 'PAUSED');
    const tools = (run.tools ?? []).map((tool) => ({ ...tool, result: '181.20 USD' }));
    assert.equal(tools[0]!.external_execution_required, true);
    const done = await client.continueRunnableRun('agents', 'desk', run.run_id, tools);
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'Done: 181.20 USD');
  });
});

describe('in a workflow’s step', () => {
  it('does not run a tool that waits for a person, and tells the model why', async () => {
    const response = await postForm(url('/workflows/desk-work/runs'), { message: 'delete my notes', stream: 'false' });
    const run = (await response.json()) as { status: string; content: string };
    assert.equal(run.status, 'COMPLETED');
    assert.equal(run.content, 'Done: Error: delete_file waits for a person, and only an agent’s or team’s own run can ask one.');
    assert.deepEqual(toolRuns, []);
  });
});
