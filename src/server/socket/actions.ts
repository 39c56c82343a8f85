/**
 * What a `/workflows/ws` client can ask about runs, as AgentOS's workflow socket answers it:
 * `start-workflow`, `reconnect` (from `last_event_index`) and `continue-workflow`; and ours, for
 * the agents and teams served on their own, `start-agent`, `start-team`, `reconnect` naming
 * `agent_id` or `team_id`, and `cancel-workflow`, `cancel-agent`, `cancel-team`. A run started
 * or continued here is as durable as one started over HTTP (AgentOS's durable-queue door): the
 * socket gets a `queued` frame, then follows the run's stream, an agent's or team's run in Agno's
 * shapes (as its HTTP routes stream it). The same rules as the HTTP routes decide what a caller
 * may see and start (src/server/runs/access.ts).
 */
import { TERMINAL_STATUSES } from '../../contracts/events.ts';
import { parseCursor } from '../../live/cursor.ts';
import type { StreamCursor } from '../../live/cursor.ts';
import type { Caller } from '../http/auth.ts';
import { validate } from '../http/body.ts';
import type { ServerDeps } from '../http/context.ts';
import { startRunFor, visibleRun } from '../runs/access.ts';
import { ContinueRequest, RunRequest } from '../runs/schemas.ts';
import { MAX_FOLLOWED_RUNS } from './connection.ts';
import type { WorkflowSocket } from './connection.ts';
import { familyOfMessage, familyOfRun, reconnectRoute, scopeRefusal } from './action-scopes.ts';
import type { RunFamily, SocketMessage } from './action-scopes.ts';
import { streamViewOf, targetOr404, visibleRunOf } from './run-targets.ts';

export type { SocketMessage } from './action-scopes.ts';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Sends AgentOS's refusal when the connection follows too many runs; true when refused. */
async function refusedAtCapacity(socket: WorkflowSocket, runId?: string): Promise<boolean> {
  if (socket.canFollow(runId)) return false;
  await socket.error(`Too many runs in flight on this connection (${MAX_FOLLOWED_RUNS}); wait for some to finish or open another connection`, runId);
  return true;
}

/** `start-workflow`, `start-agent`, `start-team`: starts a run of what the message names, and follows it. */
export const start = (family: RunFamily) =>
  async function startRun(deps: ServerDeps, socket: WorkflowSocket, caller: Caller, message: SocketMessage): Promise<void> {
    const id = text(message[family.idField]);
    if (!id) return socket.error(`${family.idField} is required`);
    const target = targetOr404(deps, family, id);
    const { message: input, session_id, user_id, additional_data, metadata } = message;
    const request = validate(RunRequest, { message: input, session_id, user_id, additional_data, metadata }, 'body');
    if (await refusedAtCapacity(socket)) return;
    const { output } = await startRunFor(deps, caller, target, request);
    await socket.send({ event: 'queued', run_id: output.run_id, session_id: output.session_id });
    socket.follow(output.run_id, { after: -1, calls: [] }, streamViewOf(deps, target.id));
  };

/**
 * Follows a run again from where the client stands: `last_event_index` is the index of the last
 * event it has, or the `stream_cursor` of the last frame (then the live text it has is not sent
 * again). A run that has ended gets its events after that, behind a `replay` frame; one still
 * going (or waiting for a person) gets a `subscribed` frame, then everything it lacks, live.
 */
export async function reconnect(deps: ServerDeps, socket: WorkflowSocket, caller: Caller, message: SocketMessage): Promise<void> {
  const runId = text(message.run_id);
  if (!runId) return socket.error('run_id is required for subscription');
  const cursor = cursorOf(message.last_event_index);
  if (!cursor) return socket.error('last_event_index must be an event index or the stream_cursor of a frame of this run');
  const family = familyOfMessage(message);
  const run = await visibleRunOf(deps, caller, runId, family, text(message[family.idField]), text(message.session_id));
  if (!run) return socket.error(`Run ${runId} not found`);
  // A message that named no agent or team may reach one's run: then it needs that agent's or team's scopes too.
  const own = familyOfRun(run.workflow_id);
  const refusal = own.family === family ? undefined : scopeRefusal(caller, reconnectRoute, own.family, own.id);
  if (refusal) return socket.error(refusal);
  const view = streamViewOf(deps, run.workflow_id);
  if (TERMINAL_STATUSES.includes(run.status)) {
    const frames = await socket.collect(runId, cursor, view);
    const note = frames.length ? `Run ${run.status}. Replaying stored events.` : 'No stored events past the requested index.';
    await socket.send({ event: 'replay', run_id: runId, status: run.status, total_events: frames.length, message: note });
    return socket.sendAll(frames);
  }
  if (await refusedAtCapacity(socket, runId)) return;
  const note = 'Subscribed to workflow run. You will receive new events as they occur.';
  await socket.send({ event: 'subscribed', run_id: runId, status: run.status, message: note });
  socket.follow(runId, cursor, view);
}

/** Answers a run waiting for a person, then follows what the run does next. */
export async function continueWorkflow(deps: ServerDeps, socket: WorkflowSocket, caller: Caller, message: SocketMessage): Promise<void> {
  const workflowId = text(message.workflow_id);
  const runId = text(message.run_id);
  if (!workflowId) return socket.error('workflow_id is required');
  if (!runId) return socket.error('run_id is required');
  const run = await visibleRun(deps, caller, runId, { workflowId, sessionId: text(message.session_id) });
  if (!run) return socket.error(`Run ${runId} not found`);
  if (run.status !== 'PAUSED') return socket.error(`Run is not paused (status=${run.status})`);
  const { step_requirements } = validate(ContinueRequest, { step_requirements: message.step_requirements }, 'body');
  if (await refusedAtCapacity(socket, runId)) return;
  const last = await deps.engine.continueRun(runId, step_requirements);
  await socket.send({ event: 'queued', run_id: runId, session_id: run.session_id });
  // A connection that follows the run already gets the rest from its pump, each event once.
  if (!socket.follows(runId)) socket.follow(runId, { after: last, calls: [] });
}

/**
 * `cancel-workflow`, `cancel-agent`, `cancel-team`: asks a run of what the message names to stop,
 * as `POST …/runs/{run_id}/cancel?strict=true` does (an unknown or ended run is an error), and
 * answers `cancel_requested`; a connection following the run gets its cancelled event then.
 */
export const cancel = (family: RunFamily) =>
  async function cancelRun(deps: ServerDeps, socket: WorkflowSocket, caller: Caller, message: SocketMessage): Promise<void> {
    const id = text(message[family.idField]);
    const runId = text(message.run_id);
    if (!id) return socket.error(`${family.idField} is required`);
    if (!runId) return socket.error('run_id is required');
    const run = await visibleRunOf(deps, caller, runId, family, id, text(message.session_id));
    if (!run) return socket.error(`Run ${runId} not found`);
    if (TERMINAL_STATUSES.includes(run.status)) return socket.error(`Run ${runId} has already ended (${run.status}).`, runId);
    await deps.engine.cancel(runId);
    await socket.send({ event: 'cancel_requested', run_id: runId });
  };

/** Where a client stands: an event index (AgentOS), a `stream_cursor`, or nothing yet. */
function cursorOf(value: unknown): StreamCursor | undefined {
  if (value === undefined || value === null) return { after: -1, calls: [] };
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= -1 ? { after: value, calls: [] } : undefined;
  return typeof value === 'string' && value.length <= 20_000 ? parseCursor(value) : undefined;
}
