/**
 * 405 for a known path asked with a method it does not serve, with `Allow` listing the ones it
 * does (RFC 9110); a path no route knows stays a 404.
 */
import type { Context, Hono } from 'hono';

interface RouteTable {
  /** Methods per route pattern, e.g. `/workflows/:workflow_id/runs` → GET, POST. */
  patterns: { match: RegExp; methods: Set<string> }[];
}

function routeTable(app: Hono<any>): RouteTable {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    // Middleware (`*`, method ALL) serves every path and method: it is not a route.
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    // Hono answers HEAD with its GET route.
    if (route.method === 'GET') methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  return {
    patterns: [...byPath].map(([path, methods]) => ({
      match: new RegExp(`^${path.split('/').map(partPattern).join('/')}$`),
      methods,
    })),
  };
}

/** A path part as a regular expression: a parameter (`:name`, `:name{pattern}`) or literal text. */
function partPattern(part: string): string {
  if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const constrained = /^:\w+\{(.+)\}$/.exec(part);
  return constrained ? `(?:${constrained[1]})` : '[^/]+';
}

/** A not-found handler for `app`; read its routes after they are all registered. */
export function methodNotAllowed(app: Hono<any>): (c: Context) => Response {
  let table: RouteTable | undefined;
  return (c) => {
    table ??= routeTable(app);
    const allowed = new Set<string>();
    for (const { match, methods } of table.patterns) if (match.test(c.req.path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0) return c.json({ detail: 'Not Found' }, 404);
    const allow = [...allowed].sort().join(', ');
    c.header('Allow', allow);
    return c.json({ detail: `Method ${c.req.method} not allowed; this path answers ${allow}.` }, 405);
  };
}
