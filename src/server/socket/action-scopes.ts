/**
 * Each socket action needs the scopes of the HTTP route that does the same (a socket can never do
 * more than a request could), on the workflow, agent or team the message names; AgentOS's texts
 * when refused. A message that names none needs the scope over every one of its kind.
 */
import { runnableKindOf } from '../../definitions/runnable.ts';
import { PUBLIC, scopesOfRoute } from '../auth/route-scopes.ts';
import { checkScopes } from '../auth/scopes.ts';
import type { Caller } from '../http/auth.ts';

export type SocketMessage = Record<string, unknown>;

/** What a run belongs to, and how the socket's messages and the HTTP paths name it. */
export interface RunFamily {
  kind: 'workflow' | 'agent' | 'team';
  collection: 'workflows' | 'agents' | 'teams';
  idField: 'workflow_id' | 'agent_id' | 'team_id';
}

export const FAMILIES = {
  workflow: { kind: 'workflow', collection: 'workflows', idField: 'workflow_id' },
  agent: { kind: 'agent', collection: 'agents', idField: 'agent_id' },
  team: { kind: 'team', collection: 'teams', idField: 'team_id' },
} as const satisfies Record<string, RunFamily>;

/** The family a message is about: the one whose id field it sets (an agent's, a team's), else workflows. */
export function familyOfMessage(message: SocketMessage): RunFamily {
  if (typeof message.agent_id === 'string') return FAMILIES.agent;
  if (typeof message.team_id === 'string') return FAMILIES.team;
  return FAMILIES.workflow;
}

/** The family of a run and its id in it, from the run's `workflow_id` (`agent:<id>` for an agent's own run). */
export function familyOfRun(workflowId: string): { family: RunFamily; id: string } {
  const kind = runnableKindOf(workflowId);
  return kind ? { family: FAMILIES[kind], id: workflowId.slice(kind.length + 1) } : { family: FAMILIES.workflow, id: workflowId };
}

/** The HTTP route doing what an action does: `POST /agents/{}/runs/{}/resume` and the like. */
export type RouteOf = (family: RunFamily) => { route: string; refused: string };

/** The refusal when the caller lacks the route's scopes on `id` of `family` (none named: on all of them); undefined when allowed. */
export function scopeRefusal(caller: Caller, routeOf: RouteOf, family: RunFamily, id: unknown): string | undefined {
  if (caller.scopes === undefined) return undefined;
  const { route, refused } = routeOf(family);
  const [method, template] = route.split(' ') as [string, string];
  const required = scopesOfRoute(method, template);
  if (required === PUBLIC) return undefined;
  const path = typeof id === 'string' && id !== '' ? `/${family.collection}/${id}/runs` : `/${family.collection}`;
  return checkScopes(caller.scopes, caller.admin === true, required, method, path).allowed ? undefined : refused;
}

export const startRoute: RouteOf = (family) => ({ route: `POST /${family.collection}/{}/runs`, refused: `Insufficient permissions to run this ${family.kind}` });
export const continueRoute: RouteOf = (family) => ({ route: `POST /${family.collection}/{}/runs/{}/continue`, refused: `Insufficient permissions to continue this ${family.kind}` });
export const reconnectRoute: RouteOf = (family) => ({ route: `POST /${family.collection}/{}/runs/{}/resume`, refused: `Insufficient permissions to reconnect to this ${family.kind}` });
export const cancelRoute: RouteOf = (family) => ({ route: `POST /${family.collection}/{}/runs/{}/cancel`, refused: `Insufficient permissions to cancel runs of this ${family.kind}` });
