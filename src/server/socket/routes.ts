/**
 * `/workflows/ws`: AgentOS's workflow WebSocket. The client sends JSON messages with an `action`
 * and gets JSON frames with an `event`:
 *
 *   → {"action": "authenticate", "token": "<key>"}        ← authenticated | auth_error
 *   → {"action": "ping"}                                  ← pong
 *   → {"action": "start-workflow", "workflow_id", "message", "session_id"?, "user_id"?}
 *                                                         ← queued {run_id, session_id}, then the run's events
 *   → {"action": "reconnect", "run_id", "last_event_index"?, "workflow_id"?, "session_id"?}
 *                                                         ← replay (ended run) | subscribed, then the events after last_event_index
 *   → {"action": "continue-workflow", "workflow_id", "run_id", "step_requirements"}
 *                                                         ← queued, then the continued run's events
 *   Ours, for agents and teams served on their own (AgentOS has no socket for them), their runs'
 *   frames in Agno's agent and team shapes, as their HTTP routes stream them:
 *   → {"action": "start-agent", "agent_id", "message", …}  (`start-team`, `team_id`: the same)
 *                                                         ← queued {run_id, session_id}, then the run's events
 *   → {"action": "reconnect", "run_id", "agent_id" | "team_id", "last_event_index"?}
 *                                                         ← as for a workflow's run
 *   → {"action": "cancel-agent", "agent_id", "run_id"}  (`cancel-team`, `cancel-workflow`: the same)
 *                                                         ← cancel_requested {run_id}; a follower gets the run's cancelled event
 *   anything wrong                                        ← error {error, run_id?}
 *
 * With a credential configured (JWTs, service accounts, OS_SECURITY_KEY, OS_USER_KEYS), the first frame (`connected`) says
 * `requires_auth`, and every action but `authenticate` answers `auth_required` until the client
 * has authenticated, as in AgentOS. Ours: an `Authorization: Bearer` header on the upgrade request
 * authenticates the connection at once (a wrong one is refused with 401, like any request).
 * A caller bound to a user sees and starts that user's runs only, and a token's scopes hold each
 * action to those of the HTTP route that does the same, as over HTTP.
 *
 * CORS does not cover WebSockets: a browser lets any page open one. A handshake from a page of
 * another origin than the API's own is refused (403) unless that origin is among the CORS origins.
 */
import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { WebSocket } from 'ws';
import { callerByMessage } from '../http/auth.ts';
import type { Authenticate, Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { describeError } from '../http/errors.ts';
import { cancel, continueWorkflow, reconnect, start } from './actions.ts';
import { cancelRoute, continueRoute, FAMILIES, familyOfMessage, reconnectRoute, scopeRefusal, startRoute } from './action-scopes.ts';
import type { RouteOf, RunFamily, SocketMessage } from './action-scopes.ts';
import { WorkflowSocket } from './connection.ts';

export const WORKFLOW_SOCKET_PATH = '/workflows/ws';

/** A WebSocket handshake for `/workflows/ws`: browsers cannot put a key in its headers. */
export function isWorkflowSocketUpgrade(c: Context): boolean {
  return c.req.path === WORKFLOW_SOCKET_PATH && c.req.header('upgrade')?.toLowerCase() === 'websocket';
}

type Act = (deps: ServerDeps, socket: WorkflowSocket, caller: Caller, message: SocketMessage) => Promise<void>;

/**
 * Each action, and the HTTP route doing the same, whose scopes it needs on what the message names
 * (src/server/socket/action-scopes.ts): a `reconnect` is about the family whose id it names.
 */
const RUN_ACTIONS: Record<string, { act: Act; route: RouteOf; family: (message: SocketMessage) => RunFamily }> = {
  'start-workflow': { act: start(FAMILIES.workflow), route: startRoute, family: () => FAMILIES.workflow },
  'start-agent': { act: start(FAMILIES.agent), route: startRoute, family: () => FAMILIES.agent },
  'start-team': { act: start(FAMILIES.team), route: startRoute, family: () => FAMILIES.team },
  reconnect: { act: reconnect, route: reconnectRoute, family: familyOfMessage },
  'continue-workflow': { act: continueWorkflow, route: continueRoute, family: () => FAMILIES.workflow },
  'cancel-workflow': { act: cancel(FAMILIES.workflow), route: cancelRoute, family: () => FAMILIES.workflow },
  'cancel-agent': { act: cancel(FAMILIES.agent), route: cancelRoute, family: () => FAMILIES.agent },
  'cancel-team': { act: cancel(FAMILIES.team), route: cancelRoute, family: () => FAMILIES.team },
};

export interface WorkflowSocketOptions {
  /** Undefined: no authentication. */
  authenticate?: Authenticate;
  /** Web page origins besides the API's own whose pages may connect (the CORS origins); `*` for any. */
  origins: readonly string[];
}

/** Whether a browser page of this handshake's origin may connect; clients that are not browsers send no Origin. */
function originAllowed(c: Context, origins: readonly string[]): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origins.includes('*') || origins.includes(origin)) return true;
  try {
    return new URL(origin).host === c.req.header('host');
  } catch {
    return false;
  }
}

/**
 * Serve before the workflow routes: a plain GET of this path (no upgrade) falls through to them,
 * and answers as AgentOS does, 404 for the workflow "ws".
 */
export function workflowSocketRoutes(deps: ServerDeps, { authenticate, origins }: WorkflowSocketOptions) {
  const app = new Hono<AppEnv>();
  app.get(
    WORKFLOW_SOCKET_PATH,
    async (c, next) => {
      if (isWorkflowSocketUpgrade(c) && !originAllowed(c, origins)) return c.json({ detail: `Origin ${c.req.header('origin')} may not open this WebSocket.` }, 403);
      // A socket opened now would be cut at once: the client goes to a replica that stays.
      if (isWorkflowSocketUpgrade(c) && deps.shuttingDown.aborted) return c.json({ detail: 'The server is shutting down; connect again.' }, 503);
      return next();
    },
    upgradeWebSocket((c) => {
      // The auth middleware has checked a key sent in the header; without one, the client authenticates by message.
      const caller: Caller | undefined = !authenticate ? {} : c.req.header('authorization') === undefined ? undefined : c.get('caller');
      let socket: WorkflowSocket | undefined;
      return {
        onOpen(_event, ws) {
          socket = new WorkflowSocket(ws.raw as WebSocket, deps.tails, caller, deps.heartbeatMs);
          deps.metrics.webSocketClients.inc();
          const requiresAuth = caller === undefined;
          void socket.send({ event: 'connected', message: requiresAuth ? 'Connected to AgentOS. Please authenticate to continue.' : 'Connected to AgentOS.', requires_auth: requiresAuth });
        },
        onMessage(event) {
          const open = socket!;
          open.enqueue(() => handle(open, event.data));
        },
        onClose() {
          if (socket) deps.metrics.webSocketClients.dec();
          socket?.closed();
        },
      };
    }),
  );

  async function handle(socket: WorkflowSocket, data: unknown): Promise<void> {
    if (typeof data !== 'string') return socket.error('Messages must be JSON text.');
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return socket.error('The message is not valid JSON.');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return socket.error('A message must be a JSON object with an "action".');
    const { action } = message as SocketMessage;
    if (action === 'authenticate') return authenticateSocket(socket, (message as SocketMessage).token);
    if (!socket.caller) {
      return socket.send({ event: 'auth_required', error: `Authentication required. Send authenticate action with valid ${authenticate?.jwt ? 'JWT' : 'bearer token'}.` });
    }
    if (action === 'ping') return socket.send({ event: 'pong' });
    const known = typeof action === 'string' && Object.hasOwn(RUN_ACTIONS, action) ? RUN_ACTIONS[action] : undefined;
    if (!known) return socket.error(`Unknown action: ${typeof action === 'string' ? action.slice(0, 100) : String(action)}`);
    const family = known.family(message as SocketMessage);
    const refusal = scopeRefusal(socket.caller, known.route, family, (message as SocketMessage)[family.idField]);
    if (refusal) return socket.error(refusal);
    try {
      await known.act(deps, socket, socket.caller, message as SocketMessage);
    } catch (err) {
      const { detail } = describeError(err, `/workflows/ws ${String(action)}`);
      const runId = (message as SocketMessage).run_id;
      await socket.error(errorText(detail), typeof runId === 'string' ? runId : undefined);
    }
  }

  async function authenticateSocket(socket: WorkflowSocket, token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '') return socket.send({ event: 'auth_error', error: 'Token is required' });
    const caller = await callerByMessage(authenticate, token);
    if ('detail' in caller) {
      // As AgentOS: a JWT's refusal says why; a static key's says no more than that it is wrong.
      if (!authenticate?.jwt) return socket.send({ event: 'auth_error', error: 'Invalid token' });
      return socket.send({ event: 'auth_error', error: caller.detail, error_type: /expired/i.test(caller.detail) ? 'expired' : 'invalid_token' });
    }
    socket.caller = caller;
    const frame = { event: 'authenticated', message: 'Authentication successful. You can now send commands.' };
    const userId = caller.userId ?? caller.principal;
    return socket.send(userId === undefined ? frame : { ...frame, user_id: userId });
  }

  return app;
}

/** An error detail as one line: invalid fields (FastAPI-style issues) as `field: problem`. */
function errorText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).slice(1).join('.') || 'message'}: ${issue.msg}`).join('; ');
  return JSON.stringify(detail);
}
