/**
 * A route declared once: its method and path, the OpenAPI operation that documents it (inputs,
 * answers, every status code it can give) and its handler, side by side in one file. The app
 * serves the handlers; the OpenAPI document only collects the operations (src/server/openapi/).
 *
 * Our own rather than zod-openapi's: AgentOS's form bodies, FastAPI-style 422s, SSE `itemSchema`
 * and a 401 that depends on whether a key is configured do not fit it.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv } from './context.ts';

export type Json = Record<string, unknown>;

/** What an operation may depend on: the server as configured. */
export interface OperationContext {
  /** The served workflows' ids: the only `workflow_id` values that are not a 404. */
  workflowIds: string[];
  /** Bearer auth is configured (OS_SECURITY_KEY or OS_USER_KEYS). */
  secured: boolean;
}

export interface Route<Deps> {
  method: 'get' | 'post' | 'delete';
  /** As OpenAPI writes it: `/workflows/{workflow_id}/runs`. */
  path: string;
  /** The OpenAPI operation: summary, parameters, request body, and the answers with their status codes. */
  operation(context: OperationContext): Json;
  handle(c: Context<AppEnv>, deps: Deps): Response | Promise<Response>;
}

/** Any route, whatever it needs: what the document collects. */
export type AnyRoute = Route<never>;

export function defineRoute<Deps>(route: Route<Deps>): Route<Deps> {
  return route;
}

/** Serves the routes on `app`, in their order, each handler given `deps`. */
export function serveRoutes<Deps>(app: Hono<AppEnv>, routes: readonly Route<Deps>[], deps: Deps): void {
  for (const route of routes) {
    // OpenAPI's `{name}` is Hono's `:name`.
    app.on(route.method.toUpperCase(), route.path.replace(/\{(\w+)\}/g, ':$1'), (c) => route.handle(c, deps));
  }
}
