/**
 * AgentOS's scopes and its rule for matching them (agno/os/scopes.py): `resource:action` grants
 * the action on every resource of that kind, `resource:<id>:action` on one (`*` for any), the
 * admin scope grants everything. A route under `/workflows/{id}` (or `/agents/{id}`,
 * `/teams/{id}`) that requires its own family's scope accepts the per-resource form for that id.
 * The front ends' routes (`/ai-sdk/{kind}/{id}/…`, `/agui/{kind}/{id}`) run any of the three
 * kinds: their scopes name the family `{kind}`, the path's (`KIND_FAMILY`), so an agent's chat
 * needs `agents:run` (or `agents:<id>:run`) and a workflow's `workflows:run`. The legacy
 * `system:` family is `config:`.
 */

/** AgentOS's admin scope, unless JWT_ADMIN_SCOPE names another. */
export const DEFAULT_ADMIN_SCOPE = 'agent_os:admin';

/** A route's requirement that only the admin scope meets (AgentOS's job-queue routes). */
export const ADMIN_ONLY = 'admin';

interface ParsedScope {
  resource: string;
  /** Undefined: every resource of the kind. */
  resourceId?: string;
  action: string;
}

const LEGACY_RESOURCES: Record<string, string> = { system: 'config' };

function parseScope(scope: string): ParsedScope | undefined {
  const parts = scope.split(':');
  const resource = LEGACY_RESOURCES[parts[0]!] ?? parts[0]!;
  if (parts.length === 2) return { resource, action: parts[1]! };
  if (parts.length === 3) return { resource, resourceId: parts[1]!, action: parts[2]! };
  return undefined;
}

/** A route's scope family that is the kind its path names (a front end's route: `{kind}:run`). */
export const KIND_FAMILY = '{kind}';

/**
 * The resource kind and id a path is about, as AgentOS reads them: `/workflows/abc/runs` is
 * workflow `abc`; a front end's `/ai-sdk/agents/abc/chat` and `/agui/agents/abc` are agent `abc`.
 */
export function resourceOfPath(path: string): { type?: string; id?: string } {
  const match = /^\/(?:ai-sdk\/|agui\/)?(agents|teams|workflows)(?:\/([^/]+))?/.exec(path);
  return match ? { type: match[1], id: match[2] } : {};
}

/** A route's scopes on this path: the `{kind}` family made the path's kind (unchanged without one). */
export function scopesOnPath(required: readonly string[], path: string): readonly string[] {
  if (!required.some((scope) => scope.startsWith(`${KIND_FAMILY}:`))) return required;
  const { type } = resourceOfPath(path);
  // A path of no kind meets no `{kind}` scope: the family stays unknown, which nothing holds.
  return required.map((scope) => (type && scope.startsWith(`${KIND_FAMILY}:`) ? `${type}${scope.slice(KIND_FAMILY.length)}` : scope));
}

/** Whether `held` meets one required scope, on the path's resource (`resourceType`/`resourceId`). */
function meets(held: readonly ParsedScope[], requiredScope: string, resourceType?: string, resourceId?: string): boolean {
  const required = parseScope(requiredScope);
  if (!required) return false;
  const perResource = resourceId !== undefined && required.resourceId === undefined && required.resource === resourceType;
  return held.some((scope) => {
    if (scope.resource !== required.resource || scope.action !== required.action) return false;
    if (scope.resourceId === undefined || scope.resourceId === '*') return true;
    return perResource && scope.resourceId === resourceId;
  });
}

export interface ScopeCheck {
  allowed: boolean;
  /**
   * A listing (`GET /workflows`) that a caller without the family-wide scope may still read,
   * filtered to these ids (none: an empty list), as AgentOS answers it instead of a 403.
   */
  accessibleIds?: ReadonlySet<string>;
}

/** AgentOS's decision for a caller holding `scopes` (and `admin` or not) on a route requiring `required`. */
export function checkScopes(scopes: readonly string[], admin: boolean, required: readonly string[], method: string, path: string): ScopeCheck {
  if (admin || required.length === 0) return { allowed: true };
  if (required.includes(ADMIN_ONLY)) return { allowed: false };
  const held = scopes.map(parseScope).filter((scope) => scope !== undefined);
  const { type, id } = resourceOfPath(path);
  if (required.every((scope) => meets(held, scope, type, id))) return { allowed: true };
  const [family, action] = required[0]!.split(':');
  if (method === 'GET' && type !== undefined && id === undefined && family === type) {
    const ids = held.filter((scope) => scope.resource === type && scope.action === action && scope.resourceId !== undefined).map((scope) => scope.resourceId!);
    return { allowed: true, accessibleIds: new Set(ids) };
  }
  return { allowed: false };
}

/** The 403's `detail`, as AgentOS words it: the scopes the route requires. */
export function insufficientScopesDetail(required: readonly string[], adminScope: string): string {
  return `Insufficient permissions. Required scope(s): ${required.map((scope) => (scope === ADMIN_ONLY ? adminScope : scope)).join(', ')}`;
}
