/**
 * An agent's tools that wait for a person, over HTTP as Agno's AgentOS serves them: a call that
 * needs confirmation, input or an external result pauses the agent's run (RunPaused, PAUSED with
 * its `requirements`), and `continue` with Agno's `tools` answers it: confirmed, the tool runs;
 * rejected, the model is told; input, the tool runs with it; external, the result is the output.
 * Answers that do not fit, or come twice, are refused; a paused run cancels. The wait does not
 * count against the run's time limit, and in a workflow's step nobody is asked. A team member's
 * such tool pauses the team's own run: the member's RunPaused, then the team's TeamRunPaused (its
 * requirements naming the member), and the team's `continue` takes Agno's `requirements` (or
 * `tools`). Real Temporal, real HTTP, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DurableAgentsClient } from '../../../src/client/client.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Team } from '../../../src/definitions/team.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import type { FakeRequest } from '../../fakes/openai/types.ts';
import { postForm, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { desk, deskScript, toolRuns } from './support/desk-agent.ts';

/** The same agent as a workflow's step: no one there can answer its tools. */
const deskWork = new Workflow({ name: 'Desk Work', steps: [new Step({ name: 'Desk', agent: desk })] });

/** A team of the desk alone: its own run asks for the desk. */
const office = new Team({ name: 'Office', members: [desk], instructions: 'Hand every task to the desk.' });

/** The leader hands the message to the desk, then repeats the desk's answer; the desk follows its own script. */
function officeScript(req: FakeRequest) {
  if (!req.toolNames.includes('delegate_task_to_member')) return deskScript(req);
  if (req.toolResults.length === 0) return { kind: 'tool_calls' as const, calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'desk', task: req.lastUserText } }] };
  return { kind: 'text' as const, text: `Office: ${req.toolResults.at(-1)!.output}` };
}

type Paused = { run_id: string; status: string; tools: Record<string, unknown>[]; requirements: { tool_execution: Record<string, unknown> }[] };

type Requirement = { id: string; member_agent_id?: string; member_agent_name?: string; member_run_id?: string; tool_execution: Record<string, unknown> };
type TeamPaused = { run_id: string; status: string; content: string; requirements: Requirement[] };

let h: ApiHarness;
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([deskWork], { runnables: servedRunnables({ agents: [desk], teams: [office] }), heartbeatMs: 200 });
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(officeScript);
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

describe('a team member’s tool that needs confirmation', () => {
  it('pauses the team’s run, and a continue with the confirmed requirements runs the tool once and completes', async () => {
    const { events } = await readFrames(await postForm(url('/teams/office/runs'), { message: 'delete my notes' }));
    const names = events.map((event) => event.event as string);
    const pause = events.at(-1) as unknown as TeamPaused & { event: string; tools: Record<string, unknown>[] };
    assert.equal(pause.event, 'TeamRunPaused', 'the stream ends at the team’s pause');
    assert.ok(names.indexOf('RunPaused') < names.indexOf('TeamRunPaused'), 'the member pauses first');
    assert.deepEqual(names.filter((name) => name === 'ToolCallStarted'), [], 'the member’s tool did not run');
    assert.equal(pause.tools[0]!.tool_name, 'delete_file');
    assert.equal(pause.content, 'Team run paused. The following require input:\n- Desk: delete_file requires confirmation');
    const [asked] = pause.requirements;
    assert.equal(asked!.member_agent_id, 'desk');
    assert.equal(asked!.member_agent_name, 'Desk');
    const memberPause = events.find((event) => event.event === 'RunPaused') as unknown as { run_id: string };
    assert.equal(asked!.member_run_id, memberPause.run_id);

    const read = (await (await fetch(url(`/teams/office/runs/${pause.run_id}`))).json()) as TeamPaused;
    assert.equal(read.status, 'PAUSED');
    assert.equal(read.requirements.length, 1);
    assert.equal(read.requirements[0]!.member_agent_id, 'desk');

    const confirmed = read.requirements.map((requirement) => ({ ...requirement, confirmation: true }));
    const response = await postForm(url(`/teams/office/runs/${pause.run_id}/continue`), { requirements: JSON.stringify(confirmed), stream: 'false' });
    assert.equal(response.status, 200);
    const done = (await response.json()) as { status: string; content: string };
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'Office: Done: Deleted notes.txt');
    assert.deepEqual(toolRuns, [{ tool: 'delete_file', args: { path: 'notes.txt' } }]);

    const again = await postForm(url(`/teams/office/runs/${pause.run_id}/continue`), { requirements: JSON.stringify(confirmed), stream: 'false' });
    assert.equal(again.status, 409);
    assert.equal(toolRuns.length, 1);
  });

  it('tells the member’s model of a rejection given as `tools`, streamed, and runs nothing', async () => {
    const started = await postForm(url('/teams/office/runs'), { message: 'delete my notes', stream: 'false' });
    const run = (await started.json()) as TeamPaused;
    assert.equal(run.status, 'PAUSED');
    const rejected = run.requirements.map((requirement) => ({ ...requirement.tool_execution, confirmed: false }));
    const { events } = await readFrames(await postForm(url(`/teams/office/runs/${run.run_id}/continue`), { tools: JSON.stringify(rejected), stream: 'true' }));
    const names = events.map((event) => event.event as string);
    assert.equal(names[0], 'TeamRunContinued');
    assert.ok(names.includes('RunContinued'), 'the member goes on');
    const end = events.at(-1) as unknown as { event: string; content: string };
    assert.equal(end.event, 'TeamRunCompleted');
    assert.equal(end.content, 'Office: Done: Function call was rejected by the user');
    assert.deepEqual(toolRuns, []);
  });
});
