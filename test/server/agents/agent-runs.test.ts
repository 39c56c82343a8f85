/**
 * Agents and teams run on their own over HTTP (`/agents`, `/teams`), as Agno's AgentOS serves
 * them: listed and described, started streaming (Agno's agent and team events, no workflow or step
 * events around them), in the background and polled (`RunOutput`, `TeamRunOutput`), waited for,
 * cancelled with their model call in flight, failed; and each run reachable only under its own
 * agent or team. Real Temporal, real HTTP, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Team } from '../../../src/definitions/team.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded, postForm, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import type { FakeRequest } from '../../fakes/openai.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
let weatherCalls = 0;
const weather = defineTool<{ city: string }>({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  execute: ({ city }) => {
    weatherCalls += 1;
    return `Sunny in ${city}`;
  },
});
const forecaster = new Agent({ name: 'Forecaster', model, tools: [weather], instructions: 'Answer about the weather.' });
const poet = new Agent({ name: 'Poet', model, role: 'Writes short poems' });
const studio = new Team({ name: 'Studio', members: [poet], instructions: 'Delegate poems to the poet.' });
/** Also a workflow's step's: its runs on its own are apart from the workflow's. */
const editor = new Agent({ name: 'Editor', model });
const editing = new Workflow({ name: 'Editing', steps: [new Step({ name: 'Edit', agent: editor })] });

/** Remembers the session's last two runs. */
const chatty = new Agent({ name: 'Chatty', model, addHistoryToContext: true, numHistoryRuns: 2 });

const runnables = servedRunnables({ agents: [forecaster, chatty, editor], teams: [studio] });

/** The fake model: the forecaster asks for the weather once, the studio's leader delegates once, each then answers. */
function script(req: FakeRequest) {
  if (req.toolNames.includes('get_weather') && req.toolResults.length === 0) return { kind: 'tool_calls' as const, calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
  if (req.toolNames.includes('delegate_task_to_member') && req.toolResults.length === 0) {
    return { kind: 'tool_calls' as const, calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'poet', task: 'A haiku about rain' } }] };
  }
  if (req.toolResults.length > 0) return { kind: 'text' as const, text: `Final: ${req.toolResults.at(-1)!.output}` };
  return { kind: 'text' as const, text: 'Rain taps the window' };
}

let h: ApiHarness;
// Every answer below is also checked against the server's /openapi.json.
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([editing], { runnables, heartbeatMs: 200 });
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(script);
  weatherCalls = 0;
});

const url = (path: string) => `${h.api.url}${path}`;
const WORKFLOW_EVENTS = /^(Workflow|Step)/;
const WORKFLOW_FIELDS = ['workflow_id', 'workflow_name', 'workflow_run_id', 'step_id', 'step_name', 'step_index'];

describe('listing and describing', () => {
  it('lists the registered agents and teams', async () => {
    const agents = (await (await fetch(url('/agents'))).json()) as { id: string; name: string; tools?: { tools: { name: string }[] } }[];
    assert.deepEqual(agents.map((agent) => agent.id).sort(), ['chatty', 'editor', 'forecaster']);
    const teams = (await (await fetch(url('/teams'))).json()) as { id: string; members: { id: string }[] }[];
    assert.deepEqual(teams.map((team) => [team.id, team.members.map((member) => member.id)]), [['studio', ['poet']]]);
  });

  it('describes one agent as AgentOS does, and answers 404 for an unknown one', async () => {
    const agent = (await (await fetch(url('/agents/forecaster'))).json()) as Record<string, unknown>;
    assert.equal(agent.name, 'Forecaster');
    assert.deepEqual(agent.model, { name: 'OpenAIResponses', model: 'gpt-5.2', provider: 'OpenAI' });
    assert.equal((agent.tools as { tools: { name: string }[] }).tools[0]!.name, 'get_weather');
    const missing = await fetch(url('/agents/nobody'));
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: 'Agent not found' });
    assert.equal((await fetch(url('/teams/forecaster'))).status, 404);
  });

  it('documents the routes in /openapi.json', async () => {
    const document = (await (await fetch(url('/openapi.json'))).json()) as { paths: Record<string, unknown> };
    for (const path of ['/agents', '/agents/{agent_id}/runs', '/agents/{agent_id}/runs/{run_id}/cancel', '/teams/{team_id}/runs/{run_id}']) assert.ok(document.paths[path], path);
  });
});

describe('an agent’s run', () => {
  it('streams Agno’s agent events, a tool call among them, under the run’s own id', async () => {
    const response = await postForm(url('/agents/forecaster/runs'), { message: 'Weather in Paris?', session_id: 'chat-1' });
    assert.equal(response.status, 200);
    const { events } = await readFrames(response);
    const names = events.map((event) => event.event as string);
    assert.deepEqual(names.filter((name) => WORKFLOW_EVENTS.test(name)), []);
    assert.equal(names[0], 'RunStarted');
    assert.equal(names.at(-1), 'RunCompleted');
    for (const expected of ['ModelRequestStarted', 'RunContent', 'ToolCallStarted', 'ToolCallCompleted', 'RunContentCompleted']) assert.ok(names.includes(expected), expected);
    const runId = events[0]!.run_id;
    for (const event of events) {
      const wire = event as unknown as Record<string, unknown>;
      assert.equal(wire.run_id, runId);
      assert.equal(wire.agent_id, 'forecaster');
      assert.equal(wire.session_id, 'chat-1');
      // Live text has no place in the log yet; everything else has.
      if (event.event !== 'RunContent') assert.equal(typeof wire.event_index, 'number', event.event);
      for (const field of WORKFLOW_FIELDS) assert.equal(wire[field], undefined, `${event.event} has no ${field}`);
    }
    const completed = events.at(-1) as unknown as { content: string };
    assert.equal(completed.content, 'Final: Sunny in Paris');
    assert.equal(weatherCalls, 1);
    // The same run, polled: Agno's RunOutput.
    const polled = (await (await fetch(url(`/agents/forecaster/runs/${runId}?session_id=chat-1`))).json()) as Record<string, unknown>;
    assert.equal(polled.run_id, runId);
    assert.equal(polled.status, 'COMPLETED');
    assert.equal(polled.content, 'Final: Sunny in Paris');
  });

  it('starts in the background (202) and is polled to its RunOutput', async () => {
    const response = await postForm(url('/agents/forecaster/runs'), { message: 'Weather in Paris?', stream: 'false', background: 'true', user_id: 'ada' });
    assert.equal(response.status, 202);
    const started = (await response.json()) as { run_id: string; session_id: string; status: string };
    assert.equal(started.status, 'PENDING');
    const run = await pollRunUntilEnded(url(`/agents/forecaster/runs/${started.run_id}`));
    assert.equal(run.status, 'COMPLETED');
    assert.equal(run.run_id, started.run_id);
    assert.equal(run.session_id, started.session_id);
    assert.equal(run.agent_id, 'forecaster');
    assert.equal(run.agent_name, 'Forecaster');
    assert.equal(run.user_id, 'ada');
    assert.equal(run.parent_run_id, undefined);
    assert.deepEqual(run.input, { input_content: 'Weather in Paris?' });
    assert.deepEqual((run.tools as { tool_name: string; result: string }[]).map((tool) => [tool.tool_name, tool.result]), [['get_weather', 'Sunny in Paris']]);
    assert.deepEqual((run.messages as { role: string }[]).map((message) => message.role), ['system', 'user', 'assistant', 'tool', 'assistant']);
    // Not a workflow's run, nor another agent's.
    assert.equal((await fetch(url(`/agents/editor/runs/${started.run_id}`))).status, 404);
    assert.equal((await fetch(url(`/workflows/editing/runs/${started.run_id}`))).status, 404);
    assert.equal((await fetch(url(`/agents/forecaster/runs/${started.run_id}?session_id=another`))).status, 404);
  });

  it('answers RunOutput once ended when neither streamed nor in the background', async () => {
    const response = await postForm(url('/agents/editor/runs'), { message: 'Fix this', stream: 'false' });
    assert.equal(response.status, 200);
    const run = (await response.json()) as Record<string, unknown>;
    assert.equal(run.status, 'COMPLETED');
    assert.equal(run.content, 'Rain taps the window');
    assert.equal(run.agent_id, 'editor');
  });

  it('is cancelled with its model call in flight: RunCancelled ends its stream', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: 'slow words '.repeat(200), chunkDelayMs: 100 }));
    const started = await postForm(url('/agents/editor/runs'), { message: 'Take your time', stream: 'false', background: 'true' });
    const runId = ((await started.json()) as { run_id: string }).run_id;
    // Its stream, as a client resuming it from the start reads it (AgentOS's /resume).
    const reading = readFrames(await postForm(url(`/agents/editor/runs/${runId}/resume`), { last_event_index: '-1' }));
    await waitUntil('the model call to stream', () => h.openai.count() === 1);
    const cancelled = await fetch(url(`/agents/editor/runs/${runId}/cancel`), { method: 'POST' });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(await cancelled.json(), {});
    const { events } = await reading;
    const last = events.at(-1) as unknown as Record<string, unknown>;
    assert.equal(last.event, 'RunCancelled');
    assert.equal(last.run_id, runId);
    assert.equal(last.agent_id, 'editor');
    assert.ok(!events.some((event) => event.event === 'RunError'), 'one end, not two');
    const run = (await (await fetch(url(`/agents/editor/runs/${runId}`))).json()) as Record<string, unknown>;
    assert.equal(run.status, 'CANCELLED');
    await waitUntil('the model request to be aborted', () => h.openai.aborted === 1, { timeoutMs: 20_000 });
  });

  it('fails with RunError carrying the provider’s message, and is retried under its id', async () => {
    h.openai.setHandler(() => ({ kind: 'error', status: 400, message: 'Invalid prompt', type: 'invalid_request_error' }));
    const { events } = await readFrames(await postForm(url('/agents/editor/runs'), { message: 'Bad' }));
    const last = events.at(-1) as unknown as Record<string, unknown>;
    assert.equal(last.event, 'RunError');
    assert.match(String(last.content), /Invalid prompt/);
    assert.equal(events.filter((event) => event.event === 'RunError').length, 1);
    // Fixed, the run is retried under its id, and completes.
    h.openai.setHandler(() => ({ kind: 'text', text: 'Fixed' }));
    const runId = String(last.run_id);
    const retried = await fetch(url(`/agents/editor/runs/${runId}/retry`), { method: 'POST' });
    assert.equal(retried.status, 202);
    const run = await pollRunUntilEnded(url(`/agents/editor/runs/${runId}`));
    assert.equal(run.status, 'COMPLETED');
    assert.equal(run.content, 'Fixed');
  });

  it('answers 409 to continue a run that is not paused at a tool', async () => {
    const response = await postForm(url('/agents/editor/runs'), { message: 'Fix this', stream: 'false' });
    const { run_id } = (await response.json()) as { run_id: string };
    const continued = await postForm(url(`/agents/editor/runs/${run_id}/continue`), { tools: '[]' });
    assert.equal(continued.status, 409);
  });
});

describe('a team’s run', () => {
  it('streams Agno’s team events with its member’s run inside, and polls to TeamRunOutput', async () => {
    const { events } = await readFrames(await postForm(url('/teams/studio/runs'), { message: 'A poem about rain' }));
    const names = events.map((event) => event.event as string);
    assert.deepEqual(names.filter((name) => WORKFLOW_EVENTS.test(name)), []);
    assert.equal(names[0], 'TeamRunStarted');
    assert.equal(names.at(-1), 'TeamRunCompleted');
    const teamRunId = events[0]!.run_id;
    const member = events.find((event) => event.event === 'RunStarted') as unknown as Record<string, unknown>;
    assert.equal(member.agent_id, 'poet');
    assert.equal(member.parent_run_id, teamRunId);
    assert.ok(names.includes('TeamToolCallStarted') && names.includes('TeamToolCallCompleted'));
    const run = await pollRunUntilEnded(url(`/teams/studio/runs/${teamRunId}`));
    assert.equal(run.team_id, 'studio');
    assert.equal(run.content, 'Final: Rain taps the window');
    const members = run.member_responses as { agent_id: string; parent_run_id: string; content: string }[];
    assert.deepEqual(members.map((response) => [response.agent_id, response.parent_run_id, response.content]), [['poet', teamRunId, 'Rain taps the window']]);

    // Its session as AgentOS shows a team's: the member's run listed before the team's.
    const sessionId = String(run.session_id);
    const detail = (await (await fetch(url(`/sessions/${sessionId}?type=team`))).json()) as Record<string, unknown>;
    assert.equal(detail.team_id, 'studio');
    assert.equal((detail.team_data as { name: string }).name, 'Studio');
    assert.deepEqual((detail.chat_history as { role: string }[]).map((message) => message.role), ['user', 'assistant', 'assistant'], 'the team’s own messages, no tool or member messages');
    const runs = (await (await fetch(url(`/sessions/${sessionId}/runs?type=team`))).json()) as Record<string, unknown>[];
    assert.deepEqual(runs.map((listed) => [listed.agent_id ?? listed.team_id, listed.parent_run_id]), [['poet', teamRunId], ['studio', '']]);
  });
});

describe('a chat of many turns', () => {
  it('gives an agent that asks for it its session’s last runs, read from the run store, and no other session’s', async () => {
    h.openai.setHandler((req) => ({ kind: 'text', text: `answer to ${req.lastUserText}` }));
    const say = async (message: string, session_id: string) => {
      const response = await postForm(url('/agents/chatty/runs'), { message, session_id, stream: 'false' });
      assert.equal(response.status, 200);
      return (await response.json()) as { status: string; content: string };
    };
    for (const turn of ['one', 'two', 'three']) assert.equal((await say(turn, 'chat-a')).content, `answer to ${turn}`);
    await say('elsewhere', 'chat-b');
    await say('four', 'chat-a');
    const conversations = h.openai.requests.map((req) => req.messages.map((message) => `${message.role}: ${message.content}`));
    assert.deepEqual(conversations[0], ['user: one']);
    assert.deepEqual(conversations[1], ['user: one', 'assistant: answer to one', 'user: two']);
    assert.deepEqual(conversations[2], ['user: one', 'assistant: answer to one', 'user: two', 'assistant: answer to two', 'user: three']);
    assert.deepEqual(conversations[3], ['user: elsewhere']);
    assert.deepEqual(conversations[4], ['user: two', 'assistant: answer to two', 'user: three', 'assistant: answer to three', 'user: four']);
  });

  it('lists the chat among the agent sessions (Agno’s type filter), not among the workflow sessions', async () => {
    const sessions = async (query: string) => ((await (await fetch(url(`/sessions${query}`))).json()) as { data: Record<string, unknown>[] }).data;
    const chat = (await sessions('?type=agent&component_id=chatty')).find((session) => session.session_id === 'chat-a');
    assert.equal(chat?.session_type, 'agent');
    assert.equal(chat?.agent_id, 'chatty');
    assert.equal(chat?.workflow_id, undefined);
    assert.equal(chat?.session_name, 'one');
    assert.deepEqual(await sessions('?type=agent&component_id=forecaster').then((data) => data.filter((session) => session.session_id === 'chat-a')), []);
    assert.ok(!(await sessions('')).some((session) => session.session_id === 'chat-a'), 'not a workflow session');
    assert.ok(!(await sessions('?type=team')).some((session) => session.session_id === 'chat-a'), 'not a team session');
    assert.equal((await fetch(url('/sessions/chat-a'))).status, 404);
    // Its detail and runs as AgentOS shows an agent's session: the chat, user and model in turn.
    const detail = (await (await fetch(url('/sessions/chat-a?type=agent'))).json()) as Record<string, unknown>;
    assert.equal(detail.agent_session_id, 'chat-a');
    assert.equal(detail.agent_id, 'chatty');
    assert.deepEqual(detail.agent_data, { name: 'Chatty', agent_id: 'chatty', model: { name: 'OpenAIResponses', provider: 'OpenAI', id: 'gpt-5.2' } });
    const history = (detail.chat_history as { role: string; content: string }[]).map((message) => `${message.role}: ${message.content}`);
    assert.deepEqual(history, ['one', 'two', 'three', 'four'].flatMap((turn) => [`user: ${turn}`, `assistant: answer to ${turn}`]));
    assert.equal(detail.total_tokens, (detail.metrics as { total_tokens: number }).total_tokens);
    const runs = (await (await fetch(url('/sessions/chat-a/runs?type=agent'))).json()) as Record<string, unknown>[];
    assert.deepEqual(runs.map((run) => [run.agent_id, run.run_input, run.content, run.parent_run_id]), ['one', 'two', 'three', 'four'].map((turn) => ['chatty', turn, `answer to ${turn}`, '']));
    const one = (await (await fetch(url(`/sessions/chat-a/runs/${String(runs[1]!.run_id)}?type=agent`))).json()) as Record<string, unknown>;
    assert.deepEqual(one, runs[1]);
  });

  it('gives an agent that does not ask for it none', async () => {
    h.openai.setHandler((req) => ({ kind: 'text', text: `answer to ${req.lastUserText}` }));
    for (const message of ['first', 'second']) await postForm(url('/agents/editor/runs'), { message, session_id: 'chat-c', stream: 'false' });
    assert.deepEqual(h.openai.requests.at(-1)!.messages.map((message) => message.content), ['second']);
  });
});
