/**
 * The Hono app, composed: a trace span (when tracing), request metrics, CORS, bearer auth and the
 * body limit in front of every route, then the routes of each resource (system and workflows, the
 * WebSocket, runs, sessions, approvals), and the OpenAPI document collected from what those routes declare.
 */
import type { Tracer } from '@opentelemetry/api';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { readUnreadBody } from './http/unread-body.ts';
import { onRequestBodies } from './http/request-bodies.ts';
import { cors } from 'hono/cors';
import type { BlobStore } from '../data-plane/blob-store.ts';
import type { Runnable } from '../definitions/runnable.ts';
import type { WorkflowDefinition } from '../definitions/workflow.ts';
import type { Engine } from '../engine/engine.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { defaultLiveLane } from '../live/config.ts';
import type { LiveLane } from '../live/lane.ts';
import { liveReaderMetrics } from '../live/live-metrics.ts';
import { RunTails } from '../live/run-tails.ts';
import type { RunTailsOptions } from '../live/run-tails.ts';
import { AGENT_ROUTES } from './agents/routes.ts';
import { AI_SDK_ROUTES } from './ai-sdk/routes.ts';
import { ChatRequest } from './ai-sdk/schemas.ts';
import { AGUI_ROUTES } from './agui/routes.ts';
import { RunAgentInput } from './agui/schemas.ts';
import { APPROVAL_ROUTES } from './approvals/routes.ts';
import { CODEC_PATH, CODEC_ROUTES } from './codec/routes.ts';
import { consoleRoutes } from './console/routes.ts';
import { CodecPayloads } from './codec/schemas.ts';
import { DEFAULT_VIEW_MAX_BYTES } from '../data-plane/payload-view.ts';
import { ApprovalResolve } from './approvals/schemas.ts';
import { PUBLIC_PATHS } from './auth/route-scopes.ts';
import { bearerAuth } from './http/auth.ts';
import type { Authenticate } from './http/auth.ts';
import type { AppEnv, ServerDeps } from './http/context.ts';
import { errorResponse } from './http/errors.ts';
import { measureRequests } from './http/measure-requests.ts';
import { apiMetrics } from './http/metrics.ts';
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { traceRequests } from './http/trace-requests.ts';
import { serveRoutes } from './http/route.ts';
import { DEFAULT_HEARTBEAT_MS } from './http/sse.ts';
import type { NamedSchemas } from './openapi/components.ts';
import { openApiDocument } from './openapi/document.ts';
import { RUN_ROUTES } from './runs/routes.ts';
import { DEFAULT_QUEUE_SETTINGS } from './runs/queue-settings.ts';
import type { QueueSettings } from './runs/queue-settings.ts';
import * as runs from './runs/schemas.ts';
import { SCHEDULE_ROUTES } from './schedules/routes.ts';
import { QUEUE_ROUTES } from './queue/routes.ts';
import * as queue from '../contracts/wire-schemas/queue.ts';
import * as schedules from './schedules/schemas.ts';
import { RunnableDescription, RunnableRunOutput, ToolsContinueRequest } from './runnables/schemas.ts';
import { SESSION_ROUTES } from './sessions/routes.ts';
import * as sessions from './sessions/schemas.ts';
import { SessionService } from './sessions/service.ts';
import { SessionStore } from './sessions/store.ts';
import { isWorkflowSocketUpgrade, workflowSocketRoutes } from './socket/routes.ts';
import { ErrorBody } from './wire/common.ts';
import { Approval, ApprovalCount, ApprovalsPage, ApprovalStatus } from '../contracts/wire-schemas/approvals.ts';
import { RunOutput, RunSummary } from '../contracts/wire-schemas/run-output.ts';
import { ExecutorRunOutput, RunMessage, RunMetrics, StepRequirement, StepResult, TokenMetrics, ToolExecution } from '../contracts/wire-schemas/run-parts.ts';
import { WorkflowSessionRun } from './wire/workflow-run.ts';
import { TEAM_ROUTES } from './teams/routes.ts';
import { SYSTEM_ROUTES, WORKFLOW_ROUTES } from './workflows/routes.ts';
import { DEFAULT_CHECK_TIMEOUT_MS } from './workflows/dependency-checks.ts';
import * as workflows from './workflows/schemas.ts';

export interface AppOptions {
  engine: Engine;
  workflows: WorkflowDefinition[];
  /** Agents and teams served on their own (`/agents`, `/teams`); see src/os/served-runnables.ts. Default none. */
  runnables?: Runnable[];
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
  /** Where the API records its metrics (served apart, see src/metrics/serve-metrics.ts); none: recorded nowhere anyone reads. */
  metrics?: MetricsRegistry;
  /** A span per request (see http/trace-requests.ts); none: no spans. */
  tracer?: Tracer;
  /** Each readiness check's deadline (`/health/ready`); default 2 s. */
  readinessTimeoutMs?: number;
  /** Largest payload `/codec/decode` shows whole; default 256 KiB. */
  codecMaxBytes?: number;
  /** Longest a run started here may take, unless its request says (`timeout_seconds`); default `DEFAULT_RUN_TIMEOUT_SECONDS`, 0: no limit. */
  runTimeoutSeconds?: number;
  /** Runs started in a busy session, and the bound of queued runs; default `DEFAULT_QUEUE_SETTINGS`. */
  queue?: Partial<QueueSettings>;
}

/** Agno's `timeout_seconds` default: a run ends ERROR after an hour. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 3600;

export interface ApiApp {
  app: Hono<AppEnv>;
  tails: RunTails;
  /**
   * The server is going away: event streams end with a reconnect hint, readiness answers 503,
   * and every answer from now on closes its connection.
   */
  beginShutdown(): void;
  close(): void;
}


/** Every route the document describes, in its order. */
const DOCUMENTED_ROUTES = [...SYSTEM_ROUTES, ...WORKFLOW_ROUTES, ...RUN_ROUTES, ...AGENT_ROUTES, ...TEAM_ROUTES, ...SESSION_ROUTES, ...APPROVAL_ROUTES, ...SCHEDULE_ROUTES, ...CODEC_ROUTES, ...QUEUE_ROUTES, ...AI_SDK_ROUTES, ...AGUI_ROUTES];

/** The schemas the routes name (`ref('Name')`), by those names, in the document's order. */
const NAMED_SCHEMAS: NamedSchemas = {
  requests: {
    RunRequest: runs.RunRequest,
    ContinueRequest: runs.ContinueRequest,
    ToolsContinueRequest,
    ResumeRequest: runs.ResumeRequest,
    ForkRequest: runs.ForkRequest,
    RenameSessionRequest: sessions.RenameSessionRequest,
    DeleteSessionsRequest: sessions.DeleteSessionsRequest,
    ApprovalResolve,
    ScheduleCreate: schedules.ScheduleCreate,
    ScheduleUpdate: schedules.ScheduleUpdate,
    CodecPayloads,
    AiSdkChatRequest: ChatRequest,
    AguiRunAgentInput: RunAgentInput,
  },
  responses: {
    Error: ErrorBody,
    Health: workflows.Health,
    Readiness: workflows.Readiness,
    OsConfig: workflows.OsConfig,
    StartedRun: runs.StartedRun,
    RetriedRun: runs.RetriedRun,
    WorkflowRunOutput: RunOutput,
    RunSummary,
    WorkflowSummary: workflows.WorkflowSummary,
    WorkflowDetail: workflows.WorkflowDetail,
    WorkflowStep: workflows.WorkflowStep,
    StepResult,
    ExecutorRunOutput,
    RunMessage,
    StepRequirement,
    RunMetrics,
    TokenMetrics,
    ToolExecution,
    // Named as AgentOS names them.
    AgentResponse: RunnableDescription,
    TeamResponse: RunnableDescription,
    RunOutput: RunnableRunOutput,
    TeamRunOutput: RunnableRunOutput,
    SessionSchema: sessions.SessionSummary,
    SessionsPage: sessions.SessionsPage,
    WorkflowSessionDetailSchema: sessions.WorkflowSessionDetail,
    AgentSessionDetailSchema: sessions.AgentSessionDetail,
    TeamSessionDetailSchema: sessions.TeamSessionDetail,
    WorkflowRunSchema: WorkflowSessionRun,
    RunSchema: sessions.AgentSessionRun,
    TeamRunSchema: sessions.TeamSessionRun,
    // Named as AgentOS names them.
    ApprovalResponse: Approval,
    ApprovalsPage,
    ApprovalCountResponse: ApprovalCount,
    ApprovalStatusResponse: ApprovalStatus,
    ScheduleResponse: schedules.ScheduleResponse,
    ScheduleStateResponse: schedules.ScheduleStateResponse,
    ScheduleRunResponse: schedules.ScheduleRunResponse,
    SchedulesPage: schedules.SchedulesPage,
    ScheduleRunsPage: schedules.ScheduleRunsPage,
    CodecPayloadsResponse: CodecPayloads,
    QueueJob: queue.QueueJob,
    QueueJobsPage: queue.QueueJobsPage,
    QueueStats: queue.QueueStats,
  },
};

export function createApp(options: AppOptions): ApiApp {
  const live = options.live ?? defaultLiveLane();
  const registry = options.metrics ?? new MetricsRegistry();
  const tails = new RunTails(options.engine, { lane: live, metrics: liveReaderMetrics(registry), ...options.tails });
  const shutdown = new AbortController();
  const deps: ServerDeps = {
    engine: options.engine,
    workflows: new Map(options.workflows.map((workflow) => [workflow.id, workflow])),
    runnables: new Map((options.runnables ?? []).map((runnable) => [runnable.id, runnable])),
    tails,
    live,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    namespace: options.namespace ?? 'default',
    webUiUrl: options.webUiUrl,
    startedAt: Date.now(),
    metrics: apiMetrics(registry),
    blobs: options.blobs,
    shuttingDown: shutdown.signal,
    readinessTimeoutMs: options.readinessTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    codecMaxBytes: options.codecMaxBytes ?? DEFAULT_VIEW_MAX_BYTES,
    runTimeoutSeconds: options.runTimeoutSeconds ?? DEFAULT_RUN_TIMEOUT_SECONDS,
    queue: { ...DEFAULT_QUEUE_SETTINGS, ...options.queue },
  };
  const app = new Hono<AppEnv>();
  app.onError(errorResponse);
  app.notFound(methodNotAllowed(app));
  // First: every answer counts, the ones the middlewares below give too (401, 413).
  app.use('*', measureRequests(deps.metrics));

  // First: every request is in the span, whatever answers it.
  if (options.tracer) app.use('*', traceRequests(options.tracer));
  // While shutting down, no connection is kept for another request: the client's next one goes to a replica that stays.
  app.use('*', async (c, next) => {
    await next();
    if (shutdown.signal.aborted) c.header('Connection', 'close');
  });

  const corsOrigins = options.corsOrigins ?? [];
  // Before auth: a browser's preflight request carries no credentials.
  // The Web UI calls the codec from its own origin, with the headers its codec settings add.
  const codecOrigins = [...new Set([...(options.webUiUrl ? loopbackSpellings(new URL(options.webUiUrl).origin) : []), ...corsOrigins])];
  if (codecOrigins.length) {
    app.use(`${CODEC_PATH}/*`, cors({ origin: codecOrigins.includes('*') ? '*' : codecOrigins, allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'], credentials: !codecOrigins.includes('*') }));
  }
  if (corsOrigins.length) app.use('*', cors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins, exposeHeaders: ['Link'] }));
  app.use('*', bearerAuth({ authenticate: options.authenticate, publicPaths: PUBLIC_PATHS, authenticatesItself: isWorkflowSocketUpgrade }));
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  app.use(
    '*',
    onRequestBodies(
      bodyLimit({
        maxSize: maxBodyBytes,
        onError: (c) => {
          // The rest of the body is never read: the connection cannot be reused for another request.
          c.header('Connection', 'close');
          return c.json({ detail: `Request body larger than ${maxBodyBytes} bytes.` }, 413);
        },
      }),
    ),
  );
  app.use('*', onRequestBodies(readUnreadBody));

  const document = openApiDocument(DOCUMENTED_ROUTES, NAMED_SCHEMAS, {
    workflowIds: [...deps.workflows.keys()],
    agentIds: memberIds(deps.runnables, 'agent'),
    teamIds: memberIds(deps.runnables, 'team'),
    secured: options.authenticate !== undefined,
    scoped: options.authenticate?.scoped === true,
    adminScope: options.authenticate?.adminScope,
    publicPaths: PUBLIC_PATHS,
  });
  serveRoutes(app, SYSTEM_ROUTES, { ...deps, document });
  // Before the workflow routes: a plain GET of /workflows/ws falls through to them (see socket/routes.ts).
  app.route('/', workflowSocketRoutes(deps, { authenticate: options.authenticate, origins: corsOrigins }));
  serveRoutes(app, WORKFLOW_ROUTES, deps);
  serveRoutes(app, RUN_ROUTES, deps);
  serveRoutes(app, AGENT_ROUTES, deps);
  serveRoutes(app, TEAM_ROUTES, deps);
  const sessions = new SessionService({ engine: deps.engine, store: new SessionStore(() => deps.blobs, deps.namespace), namespace: deps.namespace, workflows: deps.workflows });
  serveRoutes(app, SESSION_ROUTES, { ...deps, sessions });
  serveRoutes(app, APPROVAL_ROUTES, deps);
  serveRoutes(app, SCHEDULE_ROUTES, deps);
  serveRoutes(app, CODEC_ROUTES, deps);
  app.route('/', consoleRoutes());
  serveRoutes(app, QUEUE_ROUTES, deps);
  serveRoutes(app, AI_SDK_ROUTES, deps);
  serveRoutes(app, AGUI_ROUTES, deps);
  return { app, tails, beginShutdown: () => shutdown.abort(), close: () => tails.close() };
}

/** An origin on this machine is reached as 127.0.0.1 or as localhost, whichever the person typed. */
function loopbackSpellings(origin: string): string[] {
  const url = new URL(origin);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return [origin];
  return ['127.0.0.1', 'localhost'].map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
}

function memberIds(runnables: Map<string, Runnable>, kind: Runnable['kind']): string[] {
  return [...runnables.values()].filter((runnable) => runnable.kind === kind).map((runnable) => runnable.member.id);
}
