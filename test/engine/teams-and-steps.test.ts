/**
 * Team modes, function steps, parallel tool calls, Chat Completions tool calls and a missing API
 * key, each end to end on a real Temporal dev server.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIChat, OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { Team } from '../../src/definitions/team.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import type { FakeRequest } from '../fakes/openai.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
const poet = new Agent({ name: 'Poet', model, role: 'Writes poems' });
const critic = new Agent({ name: 'Critic', model, role: 'Reviews writing' });

/** Records when each call ran, to see parallel calls overlap. */
/** Tool calls of the current test: which started, and whether each saw the other start while it ran. */
const started = new Set<string>();
const spans: { name: string; sawOther: boolean }[] = [];
function slowTool(name: string) {
  return defineTool<{ city: string }>({
    name,
    description: `Looks up ${name} for a city.`,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    async execute({ city }) {
      started.add(name);
      // Parallel calls meet here: each waits (up to 20 s) for the other to have started. Calls run
      // one after the other would never meet, whatever the machine's speed.
      const sawOther = await waitUntil(`another tool call than ${name} to start`, () => started.size >= 2, { timeoutMs: 20_000, intervalMs: 10 }).then(
        () => true,
        () => false,
      );
      spans.push({ name, sawOther });
      return `${name} of ${city}: fine`;
    },
  });
}

const routeTeam = new Workflow({ name: 'Route', steps: [new Step({ name: 'Answer', team: new Team({ name: 'Router', members: [poet, critic], mode: 'route' }) })] });
const broadcastTeam = new Workflow({ name: 'Broadcast', steps: [new Step({ name: 'Ask all', team: new Team({ name: 'Panel', members: [poet, critic], mode: 'broadcast' }) })] });
const functionSteps = new Workflow({
  name: 'Functions',
  steps: [
    new Step({ name: 'Shout', executor: (input: StepInput) => input.input.toUpperCase() }),
    new Step({ name: 'Write', agent: poet }),
    new Step({
      name: 'Report',
      executor: (input: StepInput) => ({ content: `${input.previousStepOutputs.Shout} | ${input.previousStepContent} | ${input.additionalData?.tag}` }),
    }),
  ],
});
const weather = new Workflow({
  name: 'Weather',
  steps: [new Step({ name: 'Look up', agent: new Agent({ name: 'Weather Agent', model, tools: [slowTool('weather'), slowTool('air_quality')] }) })],
});
const chatTools = new Workflow({
  name: 'Chat Weather',
  steps: [new Step({ name: 'Look up', agent: new Agent({ name: 'Chat Weather Agent', model: new OpenAIChat({ id: 'llama3.1' }), tools: [slowTool('weather')] }) })],
});

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker([routeTeam, broadcastTeam, functionSteps, weather, chatTools]);
});
after(async () => h?.close());
beforeEach(() => {
  h.openai.reset();
  spans.length = 0;
  started.clear();
});

const eventsOf = (runId: string) => collectEvents(h.engine, runId);

const isLeader = (req: FakeRequest) => req.toolNames.some((name) => name.startsWith('delegate_task_to_member'));

describe('teams', () => {
  it('route: the chosen member answers for the team, and the leader is called once', async () => {
    h.openai.setHandler((req) =>
      isLeader(req)
        ? { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'poet', task: 'A haiku on durability' } }] }
        : { kind: 'text', text: 'Crash, restart, resume.' },
    );
    const output = await routeTeam.arun({ input: 'Write a haiku', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'Crash, restart, resume.');
    assert.equal(h.openai.count(isLeader), 1);
    assert.equal(h.openai.requests.find((r) => !isLeader(r))?.lastUserText, 'A haiku on durability');
  });

  it('broadcast: every member gets the task at once, and the leader combines their answers', async () => {
    h.openai.setHandler((req) => {
      if (isLeader(req)) {
        return req.toolResults.length
          ? { kind: 'text', text: `Combined: ${req.toolResults[0]!.output}` }
          : { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_members', arguments: { task: 'Judge this line' } }] };
      }
      return { kind: 'text', text: req.system.includes('Writes poems') ? 'poet says yes' : 'critic says no', delayMs: 300 };
    });
    const output = await broadcastTeam.arun({ input: 'Is this good?', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'Combined: Agent Poet: poet says yes\n\nAgent Critic: critic says no');
    const events = await eventsOf(output.run_id);
    const members = events.filter((e) => e.event === 'RunStarted').map((e) => e.agent_name);
    assert.deepEqual(members.sort(), ['Critic', 'Poet']);
    const team = events.find((e) => e.event === 'TeamRunStarted');
    assert.ok(events.filter((e) => e.event === 'RunStarted').every((e) => e.parent_run_id === team?.run_id));
  });
});

describe('steps', () => {
  it('function steps get Agno step input and chain with agent steps', async () => {
    h.openai.setHandler((req) => ({ kind: 'text', text: `poem about ${req.lastUserText}` }));
    const output = await functionSteps.arun({ input: 'durable runs', engine: h.engine, additionalData: { tag: 'T1' } });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.deepEqual(output.step_results.map((s) => [s.executor_type, s.content]), [
      ['function', 'DURABLE RUNS'],
      ['agent', 'poem about DURABLE RUNS'],
      ['function', 'DURABLE RUNS | poem about DURABLE RUNS | T1'],
    ]);
  });
});

describe('tool calls', () => {
  it('runs the tool calls of one model turn in parallel and returns results in order', async () => {
    h.openai.setHandler((req) =>
      req.toolResults.length
        ? { kind: 'text', text: req.toolResults.map((r) => r.output).join('; ') }
        : { kind: 'tool_calls', calls: [{ name: 'weather', arguments: { city: 'Oslo' } }, { name: 'air_quality', arguments: { city: 'Oslo' } }] },
    );
    const output = await weather.arun({ input: 'Oslo?', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'weather of Oslo: fine; air_quality of Oslo: fine');
    assert.equal(spans.length, 2);
    assert.ok(spans.every((span) => span.sawOther), `tool calls did not run at the same time: ${JSON.stringify(spans)}`);
  });

  it('tells the model about bad arguments and unknown tools instead of failing the run', async () => {
    h.openai.setHandler((req) =>
      req.toolResults.length
        ? { kind: 'text', text: req.toolResults.map((r) => r.output).join(' || ') }
        : { kind: 'tool_calls', calls: [{ name: 'weather', arguments: { town: 'Oslo' } }, { name: 'teleport', arguments: {} }] },
    );
    const output = await weather.arun({ input: 'Oslo?', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.match(output.content ?? '', /invalid arguments for weather: arguments.city is required/);
    assert.match(output.content ?? '', /Weather Agent has no tool named teleport/);
    assert.equal(spans.length, 0);
  });

  it('works with Chat Completions tool calls', async () => {
    h.openai.setHandler((req) =>
      req.toolResults.length ? { kind: 'text', text: `It is ${req.toolResults[0]!.output}` } : { kind: 'tool_calls', calls: [{ name: 'weather', arguments: { city: 'Rome' } }] },
    );
    const output = await chatTools.arun({ input: 'Rome?', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, 'It is weather of Rome: fine');
    assert.deepEqual(h.openai.requests.map((r) => r.api), ['chat', 'chat']);
  });
});

describe('configuration', () => {
  it('fails the run with a clear message when the worker has no OpenAI API key', async () => {
    const queue = `${h.taskQueue}-nokey`;
    await h.startWorker([routeTeam], { taskQueue: queue, env: { ...h.env, OPENAI_API_KEY: '' } });
    const output = await routeTeam.arun({ input: 'hi', engine: h.engineFor(queue) });
    assert.equal(output.status, 'ERROR');
    assert.match(output.error ?? '', /OPENAI_API_KEY is not set on the worker/);
    assert.equal(h.openai.count(), 0);
  });
});
