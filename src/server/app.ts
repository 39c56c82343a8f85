/**
 * The Hono app: AgentOS-compatible workflow routes, SSE streams, auth, OpenAPI and docs.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { swaggerUI } from '@hono/swagger-ui';
import type { Engine } from '../engine/engine.ts';
import type { WorkflowDefinition } from '../definitions/workflow.ts';
import { runRoutes } from './api/runs.ts';
import { sessionRoutes } from './api/sessions.ts';
import { systemRoutes } from './api/system.ts';
import { workflowRoutes } from './api/workflows.ts';
import { isWorkflowSocketUpgrade, workflowSocketRoutes } from './api/workflows-ws.ts';
import type { Authenticate } from './http/auth.ts';
import type { AppEnv, ServerDeps } from './http/context.ts';
import { errorResponse } from './http/errors.ts';
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { openApiDocument } from './openapi.ts';
import { defaultLiveLane } from '../live/config.ts';
import type { LiveLane } from '../live/lane.ts';
import { RunTails } from '../live/run-tails.ts';
import type { RunTailsOptions } from '../live/run-tails.ts';
import { DEFAULT_HEARTBEAT_MS } from './http/sse.ts';
import { SessionStore } from './session-store.ts';
import type { BlobStore } from '../data-plane/blob-store.ts';

export interface AppOptions {
  engine: Engine;
  workflows: WorkflowDefinition[];
  /** Undefined: no authentication. See `authFromEnv`. */
  authenticate?: Authenticate;
  /** Largest accepted request body; default 1 MiB. */
  maxBodyBytes?: number;
  heartbeatMs?: number;
  tails?: RunTailsOptions;
  /** Where token deltas of runs arrive live; default the process's lane (LIVE_LANE, REDIS_URL). */
  live?: LiveLane;
  namespace?: string;
  /** Temporal Web UI base URL, for links to runs (`Link` header); none: no links. */
  webUiUrl?: string;
  /** Web page origins whose scripts may call the API (CORS), `*` for any; none: off. */
  corsOrigins?: string[];
  /** Where session names and deletions are kept: the data plane's blob store, shared by every API process. */
  blobs: BlobStore;
}

export interface ApiApp {
  app: Hono<AppEnv>;
  tails: RunTails;
  close(): void;
}

/**
 * Answered without a key even when auth is on: the health check (for load balancers), and the
 * API's description and its docs page, which describe shapes, never data.
 */
const PUBLIC_PATHS: ReadonlySet<string> = new Set(['/health', '/docs', '/openapi.json']);

export function createApp(options: AppOptions): ApiApp {
  const live = options.live ?? defaultLiveLane();
  const tails = new RunTails(options.engine, { lane: live, ...options.tails });
  const deps: ServerDeps = {
    engine: options.engine,
    workflows: new Map(options.workflows.map((workflow) => [workflow.id, workflow])),
    tails,
    live,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    namespace: options.namespace ?? 'default',
    webUiUrl: options.webUiUrl,
    startedAt: Date.now(),
  };
  const app = new Hono<AppEnv>();
  app.onError(errorResponse);
  app.notFound(methodNotAllowed(app));

  const corsOrigins = options.corsOrigins ?? [];
  // Before auth: a browser's preflight request carries no credentials.
  if (corsOrigins.length) app.use('*', cors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins, exposeHeaders: ['Link'] }));
  app.use('*', async (c, next) => {
    if (!options.authenticate || PUBLIC_PATHS.has(c.req.path)) {
      c.set('caller', {});
      return next();
    }
    // Browsers cannot set headers on a WebSocket: without one, the socket authenticates by message.
    if (c.req.header('authorization') === undefined && isWorkflowSocketUpgrade(c)) return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const caller = options.authenticate(token);
    if (!caller) return c.json({ detail: token ? 'Invalid authentication credentials' : 'Authorization header required' }, 401);
    c.set('caller', caller);
    return next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) => {
        // The rest of the body is never read: the connection cannot be reused for another request.
        c.header('Connection', 'close');
        return c.json({ detail: `Request body larger than ${options.maxBodyBytes ?? 1024 * 1024} bytes.` }, 413);
      },
    }),
  );

  const document = openApiDocument({
    workflowIds: [...deps.workflows.keys()],
    secured: options.authenticate !== undefined,
    publicPaths: PUBLIC_PATHS,
  });
  app.get('/openapi.json', (c) => c.json(document));
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'durable-agents API' }));
  app.route('/', systemRoutes(deps));
  app.route('/', workflowSocketRoutes(deps, { authenticate: options.authenticate, origins: corsOrigins }));
  app.route('/', workflowRoutes(deps));
  app.route('/', runRoutes(deps));
  app.route('/', sessionRoutes(deps, new SessionStore(() => options.blobs, deps.namespace)));
  return { app, tails, close: () => tails.close() };
}
