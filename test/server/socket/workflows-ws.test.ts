/**
 * `/workflows/ws`, AgentOS's workflow WebSocket, against the real server, worker and Temporal dev
 * server: start a run and stream it to its end, reconnect from the last index (or stream cursor)
 * and get exactly the rest, continue a run waiting for a person, AgentOS's error frames, and auth
 * (a key by message or by header; a user key sees its own runs only; pages of other origins refused).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { Team } from '../../../src/definitions/team.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { collectEvents } from '../../support/harness.ts';
import { SocketClient, positionOf } from '../../support/socket-client.ts';
import type { Frame } from '../../support/socket-client.ts';
import { StreamReader } from '../../live/support/stream-reader.ts';
import { ADMIN, ALICE, BOB, bearer, userKeysAuth } from '../../support/user-keys.ts';

const writer = new Workflow({
  name: 'Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
const approval = new Workflow({
  name: 'Approval',
  steps: [new Step({ name: 'Publish', requiresConfirmation: true, executor: (input: StepInput) => `published: ${input.input}` })],
});
const LONG = 'Durable agents keep their work through any crash. '.repeat(8);
/** Served on their own: their runs over the socket come in Agno's agent and team shapes. */
const narrator = new Agent({ name: 'Narrator', model: new OpenAIResponses({ id: 'gpt-5.2' }) });
const panel = new Team({ name: 'Panel', members: [new Agent({ name: 'Panelist', model: new OpenAIResponses({ id: 'gpt-5.2' }), role: 'Answers' })] });

let h: ApiHarness;
let secured: ApiServer;
const sockets: SocketClient[] = [];
before(async () => {
  h = await startApiHarness([writer, echo, approval], { heartbeatMs: 200, runnables: servedRunnables({ agents: [narrator], teams: [panel] }) });
  secured = await h.serve({ authenticate: userKeysAuth() });
});
after(async () => {
  for (const socket of sockets) socket.close();
  await h?.close();
});
beforeEach(() => h.openai.reset());

async function open(server: ApiServer = h.api, headers: Record<string, string> = {}): Promise<SocketClient> {
  const socket = await SocketClient.open(server.url, headers);
  sockets.push(socket);
  return socket;
}

const isTerminal = (frame: Frame) => ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'].includes(String(frame.event));
const logEvents = (frames: Frame[]) => frames.filter((frame) => typeof frame.event_index === 'number') as unknown as RunEvent[];
const indexes = (frames: Frame[]) => logEvents(frames).map((event) => event.event_index);

describe('/workflows/ws', () => {
  it('starts a run and streams it to its terminal event: the run’s log, and its text once', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG, chunkDelayMs: 5 }));
    const socket = await open();
    assert.deepEqual(await socket.next('connected'), { event: 'connected', message: 'Connected to AgentOS.', requires_auth: false });
    assert.deepEqual(await socket.ask({ action: 'ping' }), { event: 'pong' });
    socket.send({ action: 'start-workflow', workflow_id: 'writer', message: 'go', session_id: 'ws-session' });
    const queued = await socket.next('queued');
    assert.equal(queued.event, 'queued');
    assert.equal(queued.session_id, 'ws-session');
    const runId = String(queued.run_id);
    const frames = await socket.until('the terminal event', isTerminal);
    const log = await collectEvents(h.engine, runId);
    assert.equal(log.at(-1)?.event, 'WorkflowCompleted');
    assert.deepEqual(indexes(frames), log.map((event) => event.event_index), 'every event of the log, once, in order');
    assert.deepEqual(logEvents(frames).map((event) => event.event), log.map((event) => event.event));
    assert.deepEqual(StreamReader.textOf(frames as never), StreamReader.textOfLog(log), 'the text of each model call once');
    assert.equal(frames.find((frame) => frame.event === 'WorkflowStarted')?.run_id, runId);
  });

  it('reconnects mid-run from the last frame it has and gets exactly the rest; after the end, a replay', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG, chunkDelayMs: 20 }));
    const first = await open();
    await first.next('connected');
    first.send({ action: 'start-workflow', workflow_id: 'writer', message: 'go' });
    const runId = String((await first.next('queued')).run_id);
    // Six frames of the run (live text among them), then the connection is lost.
    const before = await first.take('six frames of the run', 6);
    assert.ok(before.some((frame) => typeof frame.stream_cursor === 'string'), 'live text among them, with its stream cursor');
    first.drop();

    const second = await open();
    await second.next('connected');
    second.send({ action: 'reconnect', run_id: runId, last_event_index: positionOf(before) });
    const subscribed = await second.next('subscribed');
    assert.equal(subscribed.event, 'subscribed', JSON.stringify(subscribed));
    const rest = await second.until('the terminal event', isTerminal);
    const whole = [...before, ...rest];
    assert.deepEqual(indexes(whole), indexes(whole).map((_, i) => i), 'no gap, no duplicate');
    assert.equal(
      whole.filter((frame) => frame.event === 'RunContent').map((frame) => frame.content).join(''),
      LONG,
      'no text twice, none lost',
    );

    // After the end, AgentOS's clients reconnect with a plain index: a replay of what follows it.
    const log = await collectEvents(h.engine, runId);
    const third = await open();
    await third.next('connected');
    third.send({ action: 'reconnect', run_id: runId, workflow_id: 'writer', last_event_index: 2 });
    const replay = await third.next('replay');
    assert.deepEqual(replay, { event: 'replay', run_id: runId, status: 'COMPLETED', total_events: log.length - 3, message: 'Run COMPLETED. Replaying stored events.' });
    assert.deepEqual(await third.until('the replayed terminal event', isTerminal), log.slice(3));
  });

  it('continues a run waiting for a person, on the connection that started it', async () => {
    const socket = await open();
    await socket.next('connected');
    socket.send({ action: 'start-workflow', workflow_id: 'approval', message: 'the post' });
    const runId = String((await socket.next('queued')).run_id);
    const paused = (await socket.until('WorkflowPaused', (frame) => frame.event === 'WorkflowPaused')).at(-1)!;
    const requirement = (paused.step_requirements as { step_id: string }[])[0]!;
    socket.send({ action: 'continue-workflow', workflow_id: 'approval', run_id: runId, step_requirements: [{ step_id: requirement.step_id, confirmed: true }] });
    assert.deepEqual(await socket.next('queued'), { event: 'queued', run_id: runId, session_id: paused.session_id });
    const rest = await socket.until('the terminal event', isTerminal);
    assert.equal(rest.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(rest.at(-1)?.content, 'published: the post');
    const log = await collectEvents(h.engine, runId);
    assert.deepEqual(indexes(rest), log.slice(Number(paused.event_index) + 1).map((event) => event.event_index), 'the rest of the log, once');
  });

  it('answers bad messages with AgentOS’s error frames, starts nothing, and stays open', async () => {
    const startsBefore = h.temporalCalls.startedSince(0).length;
    const socket = await open();
    await socket.next('connected');
    const cases: [unknown, string | RegExp][] = [
      [{ action: 'start-workflow', workflow_id: 'no-such-workflow', message: 'go' }, 'Workflow no-such-workflow not found.'],
      [{ action: 'start-workflow', message: 'go' }, 'workflow_id is required'],
      [{ action: 'start-workflow', workflow_id: 'echo' }, /^message: /],
      [{ action: 'start-workflow', workflow_id: 'echo', message: 'go', additional_data: 'not an object' }, /^additional_data: /],
      [{ action: 'reconnect' }, 'run_id is required for subscription'],
      [{ action: 'reconnect', run_id: 'no-such-run' }, 'Run no-such-run not found'],
      [{ action: 'reconnect', run_id: 'no-such-run', last_event_index: 'soon' }, /^last_event_index must be/],
      [{ action: 'continue-workflow', workflow_id: 'approval' }, 'run_id is required'],
      [{ action: 'continue-workflow', workflow_id: 'approval', run_id: 'no-such-run', step_requirements: [] }, 'Run no-such-run not found'],
      [{ action: 'fly' }, 'Unknown action: fly'],
      [{ token: 'x' }, 'Unknown action: undefined'],
      ['{"action": ', 'The message is not valid JSON.'],
      [[1, 2], 'A message must be a JSON object with an "action".'],
    ];
    for (const [message, error] of cases) {
      const answer = await socket.ask(message);
      assert.equal(answer.event, 'error', JSON.stringify(message));
      if (typeof error === 'string') assert.equal(answer.error, error, JSON.stringify(message));
      else assert.match(String(answer.error), error, JSON.stringify(message));
    }
    // A run that is not waiting for a person cannot be continued.
    socket.send({ action: 'start-workflow', workflow_id: 'echo', message: 'hi' });
    const runId = String((await socket.next('queued')).run_id);
    await socket.until('the terminal event', isTerminal);
    const answer = await socket.ask({ action: 'continue-workflow', workflow_id: 'echo', run_id: runId, step_requirements: [{ step_id: 'x', confirmed: true }] });
    assert.deepEqual(answer, { event: 'error', error: 'Run is not paused (status=COMPLETED)' });
    assert.equal(h.temporalCalls.startedSince(startsBefore).length, 1, 'only the echo run started');
    assert.deepEqual(await socket.ask({ action: 'ping' }), { event: 'pong' });
  });

  it('with a key set, refuses every action until the client authenticates; a user key sees its own runs only', async () => {
    const startsBefore = h.temporalCalls.startedSince(0).length;
    const anonymous = await open(secured);
    assert.deepEqual(await anonymous.next('connected'), { event: 'connected', message: 'Connected to AgentOS. Please authenticate to continue.', requires_auth: true });
    const required = { event: 'auth_required', error: 'Authentication required. Send authenticate action with valid bearer token.' };
    assert.deepEqual(await anonymous.ask({ action: 'start-workflow', workflow_id: 'echo', message: 'hi' }), required);
    assert.deepEqual(await anonymous.ask({ action: 'ping' }), required);
    assert.deepEqual(await anonymous.ask({ action: 'authenticate' }), { event: 'auth_error', error: 'Token is required' });
    assert.deepEqual(await anonymous.ask({ action: 'authenticate', token: 'wrong' }), { event: 'auth_error', error: 'Invalid token' });
    assert.deepEqual(await anonymous.ask({ action: 'reconnect', run_id: 'x' }), required);
    assert.equal(h.temporalCalls.startedSince(startsBefore).length, 0, 'nothing started before authentication');

    const alice = anonymous;
    assert.deepEqual(await alice.ask({ action: 'authenticate', token: ALICE }), {
      event: 'authenticated',
      message: 'Authentication successful. You can now send commands.',
      user_id: 'alice',
    });
    alice.send({ action: 'start-workflow', workflow_id: 'echo', message: 'from alice' });
    const runId = String((await alice.next('queued')).run_id);
    assert.equal((await alice.until('the terminal event', isTerminal)).at(-1)?.content, 'echo: from alice');
    const run = (await (await fetch(`${secured.url}/workflows/echo/runs/${runId}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { user_id?: string };
    assert.equal(run.user_id, 'alice');

    // A key in the handshake's header authenticates the connection at once; a wrong one is refused.
    await assert.rejects(SocketClient.open(secured.url, { authorization: 'Bearer wrong' }), /HTTP 401/);
    const bob = await open(secured, { authorization: `Bearer ${BOB}` });
    assert.deepEqual(await bob.next('connected'), { event: 'connected', message: 'Connected to AgentOS.', requires_auth: false });
    assert.deepEqual(await bob.ask({ action: 'reconnect', run_id: runId }), { event: 'error', error: `Run ${runId} not found` });
    assert.deepEqual(await bob.ask({ action: 'start-workflow', workflow_id: 'echo', message: 'as alice', user_id: 'alice' }), {
      event: 'error',
      error: 'user_id does not match the authenticated user.',
    });
    const admin = await open(secured, { authorization: `Bearer ${ADMIN}` });
    await admin.next('connected');
    admin.send({ action: 'reconnect', run_id: runId });
    assert.equal((await admin.next('replay')).event, 'replay', 'the admin key sees every run');

    // Browsers let any page open a WebSocket: pages of other origins are refused, the API's own are not.
    await assert.rejects(SocketClient.open(secured.url, { origin: 'http://elsewhere.example' }), /HTTP 403/);
    assert.equal((await (await open(secured, { origin: secured.url })).next('connected')).event, 'connected');

    // Without the upgrade, the path is AgentOS's: a workflow named "ws" (which is not there).
    assert.equal((await fetch(`${secured.url}/workflows/ws`)).status, 401);
    assert.equal((await fetch(`${secured.url}/workflows/ws`, { headers: { authorization: `Bearer ${ADMIN}` } })).status, 404);
  });

  it('refuses handshakes (503) once the server is shutting down', async () => {
    const stopping = await h.serve();
    stopping.app.beginShutdown();
    await assert.rejects(SocketClient.open(stopping.url), /HTTP 503/);
  });
});

describe('agents and teams over /workflows/ws', () => {
  const isRunEnd = (frame: Frame) => ['RunCompleted', 'RunError', 'RunCancelled', 'TeamRunCompleted', 'TeamRunError', 'TeamRunCancelled'].includes(String(frame.event)) && frame.parent_run_id === undefined;

  it('starts an agent’s run, and after a dropped connection reconnects from the last frame it has: the rest, no gap, no repeat', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG, chunkDelayMs: 20 }));
    const first = await open();
    await first.next('connected');
    first.send({ action: 'start-agent', agent_id: 'narrator', message: 'go', session_id: 'ws-agent' });
    const queued = await first.next('queued');
    assert.equal(queued.session_id, 'ws-agent');
    const runId = String(queued.run_id);
    const before = await first.take('six frames of the run', 6);
    assert.equal(before[0]!.event, 'RunStarted', 'Agno’s agent events, no workflow or step events');
    assert.equal(before[0]!.run_id, runId);
    assert.equal(before[0]!.agent_id, 'narrator');
    assert.ok(before.some((frame) => typeof frame.stream_cursor === 'string'), 'live text among them, with its stream cursor');
    first.drop();

    const second = await open();
    await second.next('connected');
    second.send({ action: 'reconnect', run_id: runId, agent_id: 'narrator', last_event_index: positionOf(before) });
    assert.equal((await second.next('subscribed')).event, 'subscribed');
    const rest = await second.until('the run’s end', isRunEnd);
    assert.equal(rest.at(-1)?.event, 'RunCompleted');
    const whole = [...before, ...rest];
    assert.ok(!whole.some((frame) => /^(Workflow|Step)/.test(String(frame.event)) || frame.workflow_id !== undefined), 'in Agno’s shape throughout');
    assert.equal(whole.filter((frame) => frame.event === 'RunContent').map((frame) => frame.content).join(''), LONG, 'no text twice, none lost');

    // The whole run replayed from the start is what the two connections got between them, event for event.
    const third = await open();
    await third.next('connected');
    third.send({ action: 'reconnect', run_id: runId, agent_id: 'narrator', last_event_index: -1 });
    assert.equal((await third.next('replay')).status, 'COMPLETED');
    const replayed = await third.until('the replayed end', isRunEnd);
    assert.deepEqual(indexes(whole), indexes(replayed), 'no gap, no duplicate');
    assert.deepEqual(
      logEvents(whole).map((event) => event.event),
      logEvents(replayed).map((event) => event.event),
    );
  });

  it('streams a team’s run in Agno’s team shapes, cancels an agent’s run, and keeps each run to its own agent or team', async () => {
    h.openai.setHandler((req) =>
      req.toolNames.includes('delegate_task_to_member') && req.toolResults.length === 0
        ? { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'panelist', task: 'Answer' } }] }
        : { kind: 'text', text: 'Forty-two' },
    );
    const socket = await open();
    await socket.next('connected');
    socket.send({ action: 'start-team', team_id: 'panel', message: 'The answer?' });
    const teamRunId = String((await socket.next('queued')).run_id);
    const team = await socket.until('the team run’s end', isRunEnd);
    assert.equal(team[0]!.event, 'TeamRunStarted');
    assert.ok(team.some((frame) => frame.event === 'RunStarted' && frame.parent_run_id === teamRunId), 'its member’s run inside');
    assert.equal(team.at(-1)?.event, 'TeamRunCompleted');
    assert.deepEqual(await socket.ask({ action: 'reconnect', run_id: teamRunId, agent_id: 'narrator' }), { event: 'error', error: `Run ${teamRunId} not found` });
    assert.deepEqual(await socket.ask({ action: 'start-agent', agent_id: 'nobody', message: 'x' }), { event: 'error', error: 'Agent not found' });

    h.openai.setHandler(() => ({ kind: 'hang' }));
    socket.send({ action: 'start-agent', agent_id: 'narrator', message: 'never answered' });
    const runId = String((await socket.next('queued')).run_id);
    await socket.until('the model request', (frame) => frame.event === 'ModelRequestStarted');
    socket.send({ action: 'cancel-agent', agent_id: 'narrator', run_id: runId });
    const end = await socket.until('the cancelled run’s end', isRunEnd);
    assert.ok(end.some((frame) => frame.event === 'cancel_requested' && frame.run_id === runId));
    assert.equal(end.at(-1)?.event, 'RunCancelled');
    assert.deepEqual(await socket.ask({ action: 'cancel-agent', agent_id: 'narrator', run_id: runId }), { event: 'error', run_id: runId, error: `Run ${runId} has already ended (CANCELLED).` });
  });
});
