/**
 * A route declared once: its method and path, the OpenAPI operation that documents it (inputs,
 * answers, every status code it can give), the request's inputs it reads and its handler, side by
 * side in one file. The app serves the handlers; the OpenAPI document only collects the operations
 * (src/server/openapi/).
 *
 * The declared inputs are validated before the handler runs, which gets them typed: first the
 * resource the path names (`find`: a 404 comes before any complaint about the request), then the
 * query, then the body, each refused as FastAPI does (422, details per field; see body.ts).
 *
 * Our own rather than zod-openapi's: AgentOS's form bodies, FastAPI-style 422s, SSE `itemSchema`
 * and a 401 that depends on whether a key is configured do not fit it.
 */
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { scopesOfRoute } from '../auth/route-scopes.ts';
import { authorize } from './auth.ts';
import { readBody, readJsonBody, validate } from './body.ts';
import type { AppEnv } from './context.ts';

export type Json = Record<string, unknown>;

/** What an operation may depend on: the server as configured. */
export interface OperationContext {
  /** The served workflows' ids: the only `workflow_id` values that are not a 404. */
  workflowIds: string[];
  /** The served agents' and teams' ids (`/agents/{agent_id}`, `/teams/{team_id}`). */
  agentIds?: string[];
  teamIds?: string[];
  /** Bearer auth is configured (JWTs, service accounts, OS_SECURITY_KEY or OS_USER_KEYS). */
  secured: boolean;
}

export interface Route<Deps> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** As OpenAPI writes it: `/workflows/{workflow_id}/runs`. */
  path: string;
  /**
   * A regular expression a path parameter must match for the path to be this route's (else it is
   * another route's, or unknown): keeps `/approvals/count` from also naming an approval.
   */
  paramPatterns?: Record<string, string>;
  /** The OpenAPI operation: summary, parameters, request body, and the answers with their status codes. */
  operation(context: OperationContext): Json;
  handle(c: Context<AppEnv>, deps: Deps): Response | Promise<Response>;
}

/** Any route, whatever it needs: what the document collects. */
export type AnyRoute = Route<never>;

/** A request body: AgentOS's form bodies (JSON, urlencoded or multipart), or JSON only (FastAPI `Body`). */
export interface BodyInput<B extends z.ZodObject> {
  schema: B;
  accepts: 'forms' | 'json';
}

/** What the handler gets of the request, validated as the route declares it. */
export interface RouteInput<Found, Query, Body> {
  found: Found;
  query: Query;
  body: Body;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route as its file declares it: the route, and the inputs validated before its handler. */
export interface RouteDeclaration<Deps, Found, Q extends z.ZodType | undefined, B extends z.ZodObject | undefined> extends Omit<Route<Deps>, 'handle'> {
  /** The resource the path names (a workflow, a run), or a 404: looked up before the query and body are read. */
  find?(c: Context<AppEnv>, deps: Deps): Found | Promise<Found>;
  /** The query string's schema (the one the operation documents). */
  query?: Q;
  /** The body's schema and the content types it is read from (the one the operation documents). */
  body?: B extends z.ZodObject ? BodyInput<B> : undefined;
  handle(c: Context<AppEnv>, deps: Deps, input: RouteInput<Found, Output<Q>, Output<B>>): Response | Promise<Response>;
}

/**
 * Declares a route of handlers given `Deps`: `defineRoute<ServerDeps>()({ method, path, operation, query, handle })`.
 * (Two calls, so that the schemas' types are inferred while `Deps` is given.)
 */
export function defineRoute<Deps>() {
  return <Found = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodObject | undefined = undefined>(
    declared: RouteDeclaration<Deps, Found, Q, B>,
  ): Route<Deps> => {
    const { find, query, body, handle, ...route } = declared;
    if (!find && !query && !body) return { ...route, handle: (c, deps) => handle(c, deps, { found: undefined as Found, query: undefined as Output<Q>, body: undefined as Output<B> }) };
    return {
      ...route,
      async handle(c, deps) {
        const found = find ? await find(c, deps) : (undefined as Found);
        const queryInput = (query ? validate(query, c.req.query(), 'query') : undefined) as Output<Q>;
        const read = body?.accepts === 'json' ? readJsonBody : readBody;
        const bodyInput = (body ? await read(c, body.schema) : undefined) as Output<B>;
        return handle(c, deps, { found, query: queryInput, body: bodyInput });
      },
    };
  };
}

/**
 * Serves the routes on `app`, in their order, each handler given `deps` once the caller holds the
 * scopes its route requires (src/server/auth/route-scopes.ts: a route without a line there throws
 * here, it is never served open). Before the route's `find`: a 403 comes before any 404.
 */
export function serveRoutes<Deps>(app: Hono<AppEnv>, routes: readonly Route<Deps>[], deps: Deps): void {
  for (const route of routes) {
    const scopes = scopesOfRoute(route.method, route.path);
    // OpenAPI's `{name}` is Hono's `:name`, `:name{pattern}` for a constrained one.
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (route.paramPatterns?.[name] ? `:${name}{${route.paramPatterns[name]}}` : `:${name}`));
    app.on(route.method.toUpperCase(), path, (c) => {
      authorize(c, scopes);
      return route.handle(c, deps);
    });
  }
}
