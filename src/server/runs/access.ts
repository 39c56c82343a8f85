/**
 * What the HTTP routes and the WebSocket share about runs: which workflow an id names, which runs
 * a caller may see, and starting a run for a caller. One rule for both, so a socket can never see
 * or start more than a request could.
 */
import type { Context } from 'hono';
import type { RunSummary } from '../../contracts/events.ts';
import type { NestedWorkflow } from '../../definitions/node.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { RunOptions, StartedRun } from '../../engine/engine.ts';
import type { Caller } from '../http/auth.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { RunRequest } from './schemas.ts';

export function workflowOr404(deps: ServerDeps, id: string): WorkflowDefinition {
  const workflow = deps.workflows.get(id);
  if (!workflow) throw new HttpError(404, `Workflow ${id} not found.`);
  return workflow;
}

/** The served workflow the route's path names (`workflow_id`), or a 404. */
export function workflowOfPath(c: Context<AppEnv>, deps: ServerDeps): WorkflowDefinition {
  return workflowOr404(deps, c.req.param('workflow_id')!);
}

/**
 * The run, if it exists, is visible to the caller and, when they are named, belongs to this
 * workflow (a served one, else 404) and to this session (AgentOS's clients name it); else undefined.
 */
export async function visibleRun(deps: ServerDeps, caller: Caller, runId: string, where: { workflowId?: string; sessionId?: string } = {}): Promise<RunSummary | undefined> {
  if (where.workflowId !== undefined) workflowOr404(deps, where.workflowId);
  const run = await deps.engine.describeRunSummary(runId);
  // Another user's run is reported exactly like a missing one: its existence is not revealed.
  if (!run || (caller.userId !== undefined && run.user_id !== caller.userId)) return undefined;
  if (where.workflowId !== undefined && run.workflow_id !== where.workflowId) return undefined;
  if (where.sessionId !== undefined && run.session_id !== where.sessionId) return undefined;
  return run;
}

/** Starts a run of `workflow` (or of an agent or team, src/definitions/runnable.ts) for the caller: a caller bound to a user starts that user's runs only. */
export async function startRunFor(deps: ServerDeps, caller: Caller, workflow: NestedWorkflow, request: RunRequest, idempotencyKey?: string): Promise<StartedRun> {
  if (caller.userId !== undefined && request.user_id !== undefined && request.user_id !== caller.userId) {
    throw new HttpError(403, 'user_id does not match the authenticated user.');
  }
  await refuseWhenQueueFull(deps);
  const started = await deps.engine.startRun(workflow.toPlan(), {
    input: request.message,
    sessionId: request.session_id,
    // An admin bound to no user names whose run it is, else it is the admin's own (its token's `sub`).
    userId: caller.userId ?? request.user_id ?? caller.principal,
    additionalData: request.additional_data,
    metadata: request.metadata,
    idempotencyKey,
    ...runLimits(deps, request),
    multitaskStrategy: request.multitask_strategy ?? deps.queue.multitaskStrategy,
  });
  if (started.created) deps.metrics.runsStarted.inc({ workflow: workflow.id });
  return started;
}

/** What a start asks of Temporal beyond the run itself: its time limit (the deployment's unless asked) and its priority. */
function runLimits(deps: ServerDeps, request: RunRequest): Pick<RunOptions, 'timeoutSeconds' | 'priority'> {
  const timeoutSeconds = request.timeout_seconds ?? (deps.runTimeoutSeconds || undefined);
  return { ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}), ...(request.priority !== undefined ? { priority: request.priority } : {}) };
}

/** How long a client refused for a full queue waits before it tries again (s): runs leave the queue in about that time. */
const QUEUE_FULL_RETRY_AFTER_S = 1;

/**
 * Agno's `max_queue_depth`: past that many runs waiting to start (PENDING in the run store, the
 * deployment's count whichever API replica took them), a start is refused with 429 and starts
 * nothing. Counted before the start, so replicas starting at once may overshoot the bound by as
 * many runs as they start together.
 */
export async function refuseWhenQueueFull(deps: ServerDeps): Promise<void> {
  const bound = deps.queue.maxQueueDepth;
  const store = deps.engine.runStore;
  if (bound === 0 || !store || (await store.countRuns({ status: 'PENDING' }, bound)) < bound) return;
  throw new HttpError(429, `${bound} runs are waiting to start (MAX_QUEUE_DEPTH); try again later.`, { 'Retry-After': String(QUEUE_FULL_RETRY_AFTER_S) });
}

/** The run of a route's path, as `visibleRun` finds it for the caller and the query's `session_id`. */
export function findRun(c: Context<AppEnv>, deps: ServerDeps, workflowId: string, runId: string): Promise<RunSummary | undefined> {
  return visibleRun(deps, c.get('caller'), runId, { workflowId, sessionId: c.req.query('session_id') });
}

/** The run of a route's path (see `findRun`), or a 404. */
export async function runOr404(c: Context<AppEnv>, deps: ServerDeps): Promise<RunSummary> {
  const run = await findRun(c, deps, c.req.param('workflow_id')!, c.req.param('run_id')!);
  if (!run) throw new HttpError(404, 'Run not found.');
  return run;
}
