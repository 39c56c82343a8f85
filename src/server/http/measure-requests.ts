/**
 * Middleware that counts and times every request by its route template (`/workflows/{workflow_id}/runs`,
 * as the OpenAPI document writes it), never the raw path: run ids would make a series per run.
 * Requests no route matches (404, 405) are `unmatched`.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ApiMetrics } from './metrics.ts';

export const UNMATCHED_ROUTE = 'unmatched';

export function measureRequests(metrics: ApiMetrics): MiddlewareHandler {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    // The last route that matched the path: the handler's, also when a middleware answered first
    // (401, 413); only the middlewares' `/*` when no route serves the path.
    const matched = routePath(c, -1);
    const route = matched.endsWith('*') ? UNMATCHED_ROUTE : matched.replace(/:(\w+)/g, '{$1}');
    const labels = { method: c.req.method, route, status: String(c.res.status) };
    metrics.requests.inc(labels);
    metrics.requestDuration.observe(labels, (performance.now() - startedAt) / 1000);
  };
}
