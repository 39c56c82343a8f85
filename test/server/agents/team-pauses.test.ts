/**
 * A team member's tool that waits for a person pauses the team's own run, as Agno's AgentOS
 * serves it: the member's RunPaused, then the team's TeamRunPaused (PAUSED, its requirements
 * naming the member), and the team's `continue` with Agno's `requirements` (or `tools`) goes on:
 * confirmed, the member's tool runs once, its model answers, then the leader; rejected, the
 * member's model is told. A second continue is a conflict. Real Temporal, real HTTP, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Team } from '../../../src/definitions/team.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import type { FakeRequest } from '../../fakes/openai/types.ts';
import { postForm, readFrames } from '../../support/http.ts';
import { desk, deskScript, toolRuns } from './support/desk-agent.ts';

const office = new Team({ name: 'Office', members: [desk], instructions: 'Hand every task to the desk.' });

/** The leader hands the message to the desk, then repeats the desk's answer; the desk follows its own script. */
function officeScript(req: FakeRequest) {
  if (!req.toolNames.includes('delegate_task_to_member')) return deskScript(req);
  if (req.toolResults.length === 0) return { kind: 'tool_calls' as const, calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'desk', task: req.lastUserText } }] };
  return { kind: 'text' as const, text: `Office: ${req.toolResults.at(-1)!.output}` };
}

type Requirement = { id: string; member_agent_id?: string; member_agent_name?: string; member_run_id?: string; tool_execution: Record<string, unknown> };
type Paused = { run_id: string; status: string; content: string; requirements: Requirement[] };

let h: ApiHarness;
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([], { runnables: servedRunnables({ teams: [office] }), heartbeatMs: 200 });
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

describe('a member’s tool that needs confirmation', () => {
  it('pauses the team’s run, and a continue with the confirmed requirements runs the tool once and completes', async () => {
    const { events } = await readFrames(await postForm(url('/teams/office/runs'), { message: 'delete my notes' }));
    const names = events.map((event) => event.event as string);
    const pause = events.at(-1) as unknown as Paused & { event: string; tools: Record<string, unknown>[] };
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

    const read = (await (await fetch(url(`/teams/office/runs/${pause.run_id}`))).json()) as Paused;
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
    const run = (await started.json()) as Paused;
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
