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
import { PUBLIC, scopesOfRoute } from '../auth/route-scopes.ts';
import { checkScopes } from '../auth/scopes.ts';
import { callerByMessage } from '../http/auth.ts';
import type { Authenticate, Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { describeError } from '../http/errors.ts';
import { continueWorkflow, reconnect, startWorkflow } from './actions.ts';
import type { SocketMessage } from './actions.ts';
import { WorkflowSocket } from './connection.ts';

export const WORKFLOW_SOCKET_PATH = '/workflows/ws';

/** A WebSocket handshake for `/workflows/ws`: browsers cannot put a key in its headers. */
export function isWorkflowSocketUpgrade(c: Context): boolean {
  return c.req.path === WORKFLOW_SOCKET_PATH && c.req.header('upgrade')?.toLowerCase() === 'websocket';
}

const RUN_ACTIONS = { 'start-workflow': startWorkflow, reconnect, 'continue-workflow': continueWorkflow };

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
    const act = typeof action === 'string' && Object.hasOwn(RUN_ACTIONS, action) ? RUN_ACTIONS[action as keyof typeof RUN_ACTIONS] : undefined;
    if (!act) return socket.error(`Unknown action: ${typeof action === 'string' ? action.slice(0, 100) : String(action)}`);
    const refusal = scopeRefusal(socket.caller, action as keyof typeof RUN_ACTIONS, (message as SocketMessage).workflow_id);
    if (refusal) return socket.error(refusal);
    try {
      await act(deps, socket, socket.caller, message as SocketMessage);
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

/**
 * Each action needs the scopes of the HTTP route that does the same (a socket can never do more
 * than a request could), on the workflow the message names; AgentOS's texts when refused.
 */
const ACTION_ROUTES = {
  'start-workflow': { route: 'POST /workflows/{}/runs', refused: 'Insufficient permissions to run this workflow' },
  'continue-workflow': { route: 'POST /workflows/{}/runs/{}/continue', refused: 'Insufficient permissions to continue this workflow' },
  reconnect: { route: 'POST /workflows/{}/runs/{}/resume', refused: 'Insufficient permissions to reconnect to this workflow' },
} as const;

function scopeRefusal(caller: Caller, action: keyof typeof ACTION_ROUTES, workflowId: unknown): string | undefined {
  if (caller.scopes === undefined) return undefined;
  const { route, refused } = ACTION_ROUTES[action];
  const [method, template] = route.split(' ') as [string, string];
  const required = scopesOfRoute(method, template);
  if (required === PUBLIC) return undefined;
  // Without a workflow named, only the scope over every workflow will do.
  const path = typeof workflowId === 'string' && workflowId !== '' ? `/workflows/${workflowId}/runs` : '/workflows';
  return checkScopes(caller.scopes, caller.admin === true, required, method, path).allowed ? undefined : refused;
}

/** An error detail as one line: invalid fields (FastAPI-style issues) as `field: problem`. */
function errorText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) return detail.map((issue: { loc?: unknown[]; msg?: string }) => `${(issue.loc ?? []).slice(1).join('.') || 'message'}: ${issue.msg}`).join('; ');
  return JSON.stringify(detail);
}
