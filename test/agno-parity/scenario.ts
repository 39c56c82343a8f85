/**
 * The sequence of requests both servers get: discovery, a background run polled to its end, a
 * synchronous run, a streamed run (Agno's event streaming on) and its resume, a run started on
 * the /workflows/ws WebSocket and a reconnect to it, the run list, reads with the right and a
 * wrong session, cancels (running, finished, unknown), a failed run, a run a person confirms
 * (human in the loop) and continues, the workflow sessions, then approvals (approvals-scenario.ts)
 * and schedules (schedules-scenario.ts).
 */
import type { FakeOpenAI } from '../fakes/openai.ts';
import { runAgentScenario } from './agent-scenario.ts';
import { approvals } from './approvals-scenario.ts';
import { FAILING_INPUT } from './parity-script.ts';
import { INPUT, REVIEWED_WORKFLOW, WORKFLOW, ended, newScenarioTag, runIdOf, runPath, runs, sessionOf, startSlowRun } from './scenario-parts.ts';
import { schedules } from './schedules-scenario.ts';
import type { Json, Wire } from './wire.ts';

const TERMINAL_EVENTS = ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'];

export async function runScenario(wire: Wire, openai: FakeOpenAI): Promise<void> {
  newScenarioTag();
  await discovery(wire);
  await background(wire);
  const syncRunId = await synchronous(wire);
  await streamed(wire);
  await overWebSocket(wire);
  await reads(wire, syncRunId);
  await cancels(wire, openai, syncRunId);
  await failed(wire);
  const reviewedRunId = await humanInTheLoop(wire);
  await sessions(wire);
  // AgentOS's routes beyond runs and sessions, each area in a file of its own.
  await approvals(wire, reviewedRunId);
  await schedules(wire);
  await runAgentScenario(wire);
}

async function discovery(wire: Wire): Promise<void> {
  await wire.send('workflows: list', 'GET', '/workflows');
  await wire.send('workflows: detail', 'GET', `/workflows/${WORKFLOW}`);
  await wire.send('workflows: detail (human review)', 'GET', `/workflows/${REVIEWED_WORKFLOW}`);
  await wire.send('workflows: unknown', 'GET', '/workflows/no-such-workflow');
}

async function background(wire: Wire): Promise<void> {
  const session = sessionOf('background');
  const start = await wire.send('background: start', 'POST', runs(WORKFLOW), { form: { message: INPUT, stream: 'false', background: 'true', session_id: session } });
  const runId = runIdOf(start.body, 'background: start');
  await wire.poll('background: poll until ended', runPath(WORKFLOW, runId), { session_id: session }, ended);
}

async function synchronous(wire: Wire): Promise<string> {
  const run = await wire.send('sync: run', 'POST', runs(WORKFLOW), { form: { message: INPUT, stream: 'false', session_id: sessionOf('sync') } });
  return runIdOf(run.body, 'sync: run');
}

async function streamed(wire: Wire): Promise<void> {
  const session = sessionOf('stream');
  const stream = await wire.send('stream: run', 'POST', runs(WORKFLOW), { form: { message: INPUT, stream: 'true', stream_events: 'true', session_id: session } });
  const runId = String(stream.events?.find((e) => e.name === 'WorkflowStarted')?.data.run_id);
  await wire.poll('stream: read the streamed run', runPath(WORKFLOW, runId), { session_id: session }, ended);
  await wire.send('stream: resume after event 4', 'POST', `${runPath(WORKFLOW, runId)}/resume`, { form: { last_event_index: '4', session_id: session } });
}

async function overWebSocket(wire: Wire): Promise<void> {
  const session = sessionOf('socket');
  const terminal = (frame: Json) => TERMINAL_EVENTS.includes(String(frame.event));
  const start = await wire.socket('ws: start a run and stream it', [{ action: 'start-workflow', workflow_id: WORKFLOW, message: INPUT, session_id: session }], terminal);
  const runId = String(start.events?.find((e) => e.name === 'WorkflowStarted')?.data.run_id);
  await wire.poll('ws: read the run', runPath(WORKFLOW, runId), { session_id: session }, ended);
  const reconnect = { action: 'reconnect', run_id: runId, workflow_id: WORKFLOW, session_id: session, last_event_index: 4 };
  await wire.socket('ws: reconnect after event 4', [reconnect], terminal);
  await wire.socket('ws: unknown workflow', [{ action: 'start-workflow', workflow_id: 'no-such-workflow', message: INPUT }], (frame) => frame.event === 'error');
}

async function reads(wire: Wire, syncRunId: string): Promise<void> {
  await wire.send('runs: read with its session', 'GET', runPath(WORKFLOW, syncRunId), { query: { session_id: sessionOf('sync') } });
  await wire.send('runs: read with another session', 'GET', runPath(WORKFLOW, syncRunId), { query: { session_id: sessionOf('other-session') } });
  await wire.send('runs: read an unknown run', 'GET', runPath(WORKFLOW, 'no-such-run'), { query: { session_id: sessionOf('sync') } });
  await wire.send('runs: list of a session', 'GET', runs(WORKFLOW), { query: { session_id: sessionOf('sync') } });
}

async function cancels(wire: Wire, openai: FakeOpenAI, syncRunId: string): Promise<void> {
  const session = sessionOf('cancel');
  const runId = await startSlowRun(wire, openai, 'cancel: start a slow run', session);
  await wire.send('cancel: running run', 'POST', `${runPath(WORKFLOW, runId)}/cancel`, { query: { session_id: session } });
  await wire.poll('cancel: the cancelled run', runPath(WORKFLOW, runId), { session_id: session }, ended);
  await wire.send('cancel: finished run', 'POST', `${runPath(WORKFLOW, syncRunId)}/cancel`);
  await wire.send('cancel: unknown run', 'POST', `${runPath(WORKFLOW, 'no-such-run')}/cancel`);
}

async function failed(wire: Wire): Promise<void> {
  const session = sessionOf('failed');
  const run = await wire.send('failed: run', 'POST', runs(WORKFLOW), { form: { message: FAILING_INPUT, stream: 'false', session_id: session } });
  const runId = (run.body as Json | undefined)?.run_id;
  if (typeof runId === 'string') await wire.poll('failed: read', runPath(WORKFLOW, runId), { session_id: session }, ended);
  await wire.send('failed: stream', 'POST', runs(WORKFLOW), { form: { message: FAILING_INPUT, stream: 'true', stream_events: 'true', session_id: sessionOf('failed-stream') } });
}

async function humanInTheLoop(wire: Wire): Promise<string> {
  const session = sessionOf('review');
  const start = await wire.send('review: start', 'POST', runs(REVIEWED_WORKFLOW), { form: { message: INPUT, stream: 'false', background: 'true', session_id: session } });
  const runId = runIdOf(start.body, 'review: start');
  const paused = await wire.poll('review: paused', runPath(REVIEWED_WORKFLOW, runId), { session_id: session }, (body) => body.status === 'PAUSED' || ended(body));
  const requirements = ((paused.body as Json).step_requirements as Json[] | undefined) ?? [];
  const answers = requirements.map((requirement) => ({ ...requirement, confirmed: true }));
  await wire.send('review: continue', 'POST', `${runPath(REVIEWED_WORKFLOW, runId)}/continue`, {
    form: { step_requirements: JSON.stringify(answers), stream: 'false', session_id: session },
  });
  await wire.poll('review: after continue', runPath(REVIEWED_WORKFLOW, runId), { session_id: session }, ended);
  return runId;
}

async function sessions(wire: Wire): Promise<void> {
  const workflow = { type: 'workflow' };
  const sync = `/sessions/${sessionOf('sync')}`;
  const deleted = `/sessions/${sessionOf('background')}`;
  await wire.send('sessions: list', 'GET', '/sessions', { query: workflow });
  await wire.send('sessions: detail', 'GET', sync, { query: workflow });
  await wire.send('sessions: runs', 'GET', `${sync}/runs`, { query: workflow });
  await wire.send('sessions: rename', 'POST', `${sync}/rename`, { query: workflow, json: { session_name: 'Renamed session' } });
  await wire.send('sessions: detail after rename', 'GET', sync, { query: workflow });
  await wire.send('sessions: unknown', 'GET', '/sessions/no-such-session', { query: workflow });
  await wire.send('sessions: delete', 'DELETE', deleted);
  await wire.send('sessions: deleted session', 'GET', deleted, { query: workflow });
}
