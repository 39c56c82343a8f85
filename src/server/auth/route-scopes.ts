/**
 * The scopes each route requires, one line per route, keyed by its method and path template as
 * the route declares it (parameter names do not matter: `/jobs/{id}` is `/jobs/{job_id}`). The
 * scopes are AgentOS's (agno/os/scopes.py, `get_default_scope_mappings`) where AgentOS has the
 * route; ours otherwise, the least that covers what the route does. `PUBLIC` routes are answered
 * without credentials; `[]` needs a credential and no scope.
 *
 * Every route the app serves must have a line: serving one that has none throws at start-up (and
 * test/server/auth/route-scopes.test.ts checks the app), so a new route is never open by omission.
 */
import { ADMIN_ONLY, KIND_FAMILY } from './scopes.ts';

export const PUBLIC = 'public' as const;

export type RouteScopes = readonly string[] | typeof PUBLIC;

export const ROUTE_SCOPES: Readonly<Record<string, RouteScopes>> = {
  // For load balancers, and the API's description: shapes, never data.
  'GET /health': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /docs': PUBLIC,
  // The run console's page and its files (src/server/console/page/): no data. The page asks the
  // viewer for a credential and each call it makes needs its own route's scopes.
  'GET /console': PUBLIC,
  'GET /console/console.css': PUBLIC,
  'GET /console/console.js': PUBLIC,
  'GET /console/api.js': PUBLIC,
  'GET /console/runs-list.js': PUBLIC,
  'GET /console/run-view.js': PUBLIC,

  'GET /config': ['config:read'],

  'GET /workflows': ['workflows:read'],
  'GET /workflows/{}': ['workflows:read'],
  'GET /workflows/{}/runs': ['workflows:read'],
  'POST /workflows/{}/runs': ['workflows:run'],
  'GET /workflows/{}/runs/{}': ['workflows:read'],
  'POST /workflows/{}/runs/{}/cancel': ['workflows:run'],
  'POST /workflows/{}/runs/{}/continue': ['workflows:run'],
  // Ours: reading a run's events is reading the run; a retry or a fork runs it again.
  'GET /workflows/{}/runs/{}/events': ['workflows:read'],
  'POST /workflows/{}/runs/{}/resume': ['workflows:read'],
  'POST /workflows/{}/runs/{}/retry': ['workflows:run'],
  'POST /workflows/{}/runs/{}/fork': ['workflows:run'],
  // The handshake needs a credential (or one sent by message); each action then needs its route's scopes (socket/routes.ts).
  'GET /workflows/ws': [],
  // Ours: runs across every workflow, so the family-wide scope.
  'GET /runs': ['workflows:read'],
  // Ours: when that list changes (no run named), so the same scope.
  'GET /runs/changes': ['workflows:read'],

  'GET /agents': ['agents:read'],
  'GET /agents/{}': ['agents:read'],
  'POST /agents/{}/runs': ['agents:run'],
  // As AgentOS's router: polling a run needs the run scope.
  'GET /agents/{}/runs/{}': ['agents:read'],
  'POST /agents/{}/runs/{}/cancel': ['agents:run'],
  'POST /agents/{}/runs/{}/continue': ['agents:run'],
  'POST /agents/{}/runs/{}/resume': ['agents:run'],
  // Ours: a retry runs the agent again.
  'POST /agents/{}/runs/{}/retry': ['agents:run'],
  'GET /teams': ['teams:read'],
  'GET /teams/{}': ['teams:read'],
  'POST /teams/{}/runs': ['teams:run'],
  'GET /teams/{}/runs/{}': ['teams:read'],
  'POST /teams/{}/runs/{}/cancel': ['teams:run'],
  'POST /teams/{}/runs/{}/continue': ['teams:run'],
  'POST /teams/{}/runs/{}/resume': ['teams:run'],
  'POST /teams/{}/runs/{}/retry': ['teams:run'],

  'GET /sessions': ['sessions:read'],
  'DELETE /sessions': ['sessions:delete'],
  'GET /sessions/{}': ['sessions:read'],
  'DELETE /sessions/{}': ['sessions:delete'],
  'POST /sessions/{}/rename': ['sessions:write'],
  'GET /sessions/{}/runs': ['sessions:read'],
  'GET /sessions/{}/runs/{}': ['sessions:read'],

  'GET /approvals': ['approvals:read'],
  'GET /approvals/count': ['approvals:read'],
  'GET /approvals/{}': ['approvals:read'],
  'GET /approvals/{}/status': ['approvals:read'],
  'POST /approvals/{}/resolve': ['approvals:write'],
  'DELETE /approvals/{}': ['approvals:delete'],

  'GET /schedules': ['schedules:read'],
  'POST /schedules': ['schedules:write'],
  'GET /schedules/{}': ['schedules:read'],
  'PATCH /schedules/{}': ['schedules:write'],
  'DELETE /schedules/{}': ['schedules:delete'],
  'POST /schedules/{}/enable': ['schedules:write'],
  'POST /schedules/{}/disable': ['schedules:write'],
  'POST /schedules/{}/trigger': ['schedules:write'],
  'GET /schedules/{}/runs': ['schedules:read'],
  'GET /schedules/{}/runs/{}': ['schedules:read'],

  // AgentOS's job queue is an admin's (agno/os/routers/job_queue/router.py).
  'GET /jobs': [ADMIN_ONLY],
  'GET /jobs/{}': [ADMIN_ONLY],
  'POST /jobs/{}/requeue': [ADMIN_ONLY],
  // Ours: counts of the whole system, as AgentOS's /metrics.
  'GET /stats': ['metrics:read'],
  // Ours: Temporal's Web UI shows every user's payloads through it, an operator's tool.
  // Front ends' protocols (src/server/ai-sdk, src/server/agui): a start, and taking it up again
  // after a reload, of a workflow, agent or team: the run scope of the kind the path names.
  'POST /ai-sdk/{}/{}/chat': [`${KIND_FAMILY}:run`],
  'GET /ai-sdk/{}/{}/chat/{}/stream': [`${KIND_FAMILY}:run`],
  'POST /agui/{}/{}': [`${KIND_FAMILY}:run`],
  'POST /codec/decode': [ADMIN_ONLY],
  'POST /codec/encode': [ADMIN_ONLY],
};

/** The paths answered without a credential (the auth middleware lets them through before any route is matched). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(
  Object.entries(ROUTE_SCOPES)
    .filter(([, scopes]) => scopes === PUBLIC)
    .map(([key]) => key.slice(key.indexOf(' ') + 1)),
);

/** `GET /workflows/{}/runs` for a route's method and path template. */
export function routeKey(method: string, pathTemplate: string): string {
  return `${method.toUpperCase()} ${pathTemplate.replace(/\{[^}]*\}/g, '{}')}`;
}

/** The scopes a route requires; throws for a route the table does not name (it must never be open by omission). */
export function scopesOfRoute(method: string, pathTemplate: string): RouteScopes {
  const scopes = ROUTE_SCOPES[routeKey(method, pathTemplate)];
  if (scopes === undefined) throw new Error(`${routeKey(method, pathTemplate)} has no line in ROUTE_SCOPES (src/server/auth/route-scopes.ts): every route names the scopes it requires.`);
  return scopes;
}
