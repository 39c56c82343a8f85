/**
 * An agent's or team's own run retried after a failure goes on from the call that failed: the
 * model and tool calls its failed attempt completed are answered from the attempt's history, not
 * made again (docs/adr/0027-retry-from-the-failed-call.md). Counted at the fake OpenAI and at the
 * tools. Real Temporal, real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Team } from '../../../src/definitions/team.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded, postForm, readFrames } from '../../support/http.ts';
import type { FakeReply, FakeRequest } from '../../fakes/openai.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
const executions = { lookup: 0, publish: 0 };
/** Set: publishing fails, not retryably, as a bug would until its fix is deployed. */
let publishingBroken = true;

const lookup = defineTool<{ topic: string }>({
  name: 'lookup',
  description: 'Looks a topic up.',
  parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
  execute: ({ topic }) => {
    executions.lookup += 1;
    return `facts about ${topic}`;
  },
});
const publish = defineTool<{ text: string }>({
  name: 'publish',
  description: 'Publishes a text.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: ({ text }) => {
    executions.publish += 1;
    if (publishingBroken) throw ApplicationFailure.nonRetryable('The publishing service rejected the request (bug 42).', 'PublishBug');
    return `published: ${text}`;
  },
});

const writer = new Agent({ name: 'Writer', model, tools: [lookup, publish], role: 'Writes and publishes' });
const researcher = new Agent({ name: 'Researcher', model, tools: [lookup], role: 'Researches topics' });
const desk = new Team({ name: 'Desk', members: [researcher], instructions: 'Delegate research to the researcher.' });
const runnables = servedRunnables({ agents: [writer], teams: [desk] });

const isWriter = (req: FakeRequest) => req.toolNames.includes('publish');
// The leader's instructions name its members' roles too: its tool tells it apart.
const isLeader = (req: FakeRequest) => req.toolNames.includes('delegate_task_to_member');
const isResearcher = (req: FakeRequest) => !isLeader(req) && req.system.includes('Researches topics');

/** Set: the team leader's answer after its member's is refused, not retryably. */
let leaderRefused = true;

/** The writer looks up, then publishes, then answers; the leader delegates once, then answers; the researcher looks up, then answers. */
function script(req: FakeRequest): FakeReply {
  const results = req.toolResults.length;
  if (isWriter(req)) {
    if (results === 0) return { kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'rain' } }] };
    if (results === 1) return { kind: 'tool_calls', calls: [{ name: 'publish', arguments: { text: 'A post on rain' } }] };
    return { kind: 'text', text: `Done: ${req.toolResults.at(-1)!.output}` };
  }
  if (isResearcher(req)) {
    return results === 0 ? { kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'clouds' } }] } : { kind: 'text', text: `Found ${req.toolResults[0]!.output}` };
  }
  if (isLeader(req)) {
    if (results === 0) return { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'researcher', task: 'Research clouds' } }] };
    if (leaderRefused) return { kind: 'error', status: 400, message: 'Invalid prompt', type: 'invalid_request_error' };
    return { kind: 'text', text: `Summary: ${req.toolResults.at(-1)!.output}` };
  }
  throw new Error(`no script for ${req.system}`);
}

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([], { runnables });
});
after(async () => h?.close());
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(script);
  executions.lookup = 0;
  executions.publish = 0;
  publishingBroken = true;
  leaderRefused = true;
});

const url = (path: string) => `${h.api.url}${path}`;
const named = (events: RunEvent[], name: string) => events.filter((event) => event.event === name);

describe('retry of an agent’s run', () => {
  it('goes on from the tool call that failed: the model calls and the tool call before it are not made again', async () => {
    const { events: failed } = await readFrames(await postForm(url('/agents/writer/runs'), { message: 'Write about rain' }));
    assert.equal(failed.at(-1)?.event, 'RunError');
    assert.match(String((failed.at(-1) as unknown as { content: string }).content), /bug 42/);
    assert.deepEqual([h.openai.count(isWriter), executions.lookup, executions.publish], [2, 1, 1]);

    publishingBroken = false; // the fix is deployed
    const runId = String(failed[0]!.run_id);
    assert.equal((await fetch(url(`/agents/writer/runs/${runId}/retry`), { method: 'POST' })).status, 202);
    const run = await pollRunUntilEnded(url(`/agents/writer/runs/${runId}`));
    assert.equal(run.status, 'COMPLETED', String(run.content));
    assert.equal(run.content, 'Done: published: A post on rain');
    // One model call more (the answer after the tool), the failed tool once more, the lookup not again.
    assert.deepEqual([h.openai.count(isWriter), executions.lookup, executions.publish], [3, 1, 2]);
    // The last model call was sent the conversation the reused ones built.
    const last = h.openai.requests.filter(isWriter).at(-1)!;
    assert.deepEqual(last.toolResults.map((result) => result.output), ['facts about rain', 'published: A post on rain']);

    // The retry's log goes on after the failed attempt's: a whole agent run, in which the reused
    // calls are told again (the run's output lists them), made or not.
    const resumed = await postForm(url(`/agents/writer/runs/${runId}/resume`), { last_event_index: String(failed.at(-1)!.event_index) });
    const { events: retried } = await readFrames(resumed);
    assert.equal(retried[0]?.event, 'RunStarted');
    assert.ok(retried.every((event, i) => event.event_index > (i === 0 ? failed.at(-1)!.event_index : retried[i - 1]!.event_index)), 'indexes go on, none repeated');
    assert.deepEqual(named(retried, 'ToolCallCompleted').map((event) => (event as unknown as { tool: { tool_name: string } }).tool.tool_name), ['lookup', 'publish']);
    assert.equal(retried.at(-1)?.event, 'RunCompleted');
    const tools = (run.tools as { tool_name: string; result: string }[]).map((tool) => [tool.tool_name, tool.result]);
    assert.deepEqual(tools, [['lookup', 'facts about rain'], ['publish', 'published: A post on rain']]);
  });
});

describe('retry of a team’s run', () => {
  it('goes on from the leader’s model call that failed: its member’s model and tool calls are not made again', async () => {
    const { events: failed } = await readFrames(await postForm(url('/teams/desk/runs'), { message: 'Tell me about clouds' }));
    assert.equal(failed.at(-1)?.event, 'TeamRunError');
    assert.deepEqual([h.openai.count(isLeader), h.openai.count(isResearcher), executions.lookup], [2, 2, 1]);

    leaderRefused = false;
    const runId = String(failed[0]!.run_id);
    assert.equal((await fetch(url(`/teams/desk/runs/${runId}/retry`), { method: 'POST' })).status, 202);
    const run = await pollRunUntilEnded(url(`/teams/desk/runs/${runId}`));
    assert.equal(run.status, 'COMPLETED', String(run.content));
    assert.equal(run.content, 'Summary: Found facts about clouds');
    assert.deepEqual([h.openai.count(isLeader), h.openai.count(isResearcher), executions.lookup], [3, 2, 1]);
    const members = run.member_responses as { agent_id: string; content: string }[];
    assert.deepEqual(members.map((member) => [member.agent_id, member.content]), [['researcher', 'Found facts about clouds']]);
  });
});
