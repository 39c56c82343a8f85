/**
 * Runs of a workflow: start (background, streamed or waited for), read, list, cancel, and the
 * run's events as SSE (resume by index, `Last-Event-ID` or `?after=`).
 *
 * `GET /workflows/{id}/runs` lists whole runs as AgentOS does (its `WorkflowRunSchema`, one state
 * read per run); `GET /runs`, ours, lists runs across workflows and sessions as summaries, from
 * Temporal visibility alone, so that it stays cheap for any number of runs.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { RunSummary } from '../../contracts/events.ts';
import { readBody, validate } from '../http/body.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { RunNotFoundError } from '../../engine/errors.ts';
import { RUN_READ_EVENT_BYTES } from '../../engine/output-events.ts';
import { HttpError } from '../http/errors.ts';
import { jsonArrayResponse } from '../http/json-array-response.ts';
import { startRunFor, visibleRun, workflowOr404 } from '../run-access.ts';
import { CancelQuery, ContinueRequest, EventsQuery, IdempotencyKey, LastEventId, ListRunsQuery, ResumeRequest, RunRequest } from '../schemas.ts';
import { sseResponse } from '../http/sse.ts';
import { workflowRunSchema } from '../workflow-sessions.ts';
import { parseCursor } from '../../live/cursor.ts';
import type { StreamCursor } from '../../live/cursor.ts';

export function runRoutes(deps: ServerDeps) {
  const app = new Hono<AppEnv>();

  /** The run as `visibleRun` finds it, for the caller and the query's `session_id`. */
  const findRun = (c: Context<AppEnv>, workflowId: string, runId: string) => visibleRun(deps, c.get('caller'), runId, { workflowId, sessionId: c.req.query('session_id') });

  async function runOr404(c: Context<AppEnv>, workflowId: string, runId: string): Promise<RunSummary> {
    const run = await findRun(c, workflowId, runId);
    if (!run) throw new HttpError(404, 'Run not found.');
    return run;
  }

  /** The run's events and live text from `from` on: an event index, or the cursor of an SSE id. */
  function streamEvents(c: Context<AppEnv>, runId: string, from: number | StreamCursor): Response {
    linkToWebUi(c, runId);
    const cursor = typeof from === 'number' ? { after: from, calls: [] } : from;
    return sseResponse(c, runId, (signal) => deps.tails.subscribe(runId, cursor, signal), deps.heartbeatMs);
  }

  /** Every response about a run links to it in the Temporal Web UI (when its URL is known). */
  function linkToWebUi(c: Context<AppEnv>, runId: string): void {
    if (!deps.webUiUrl) return;
    const url = `${deps.webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
    c.header('Link', `<${url}>; rel="temporal-ui"`);
  }

  app.post('/workflows/:workflow_id/runs', async (c) => {
    const workflow = workflowOr404(deps, c.req.param('workflow_id'));
    const body = await readBody(c, RunRequest);
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && !IdempotencyKey.safeParse(idempotencyKey).success) {
      throw new HttpError(400, 'Idempotency-Key must be 1-255 visible ASCII characters.');
    }
    const { output } = await startRunFor(deps, c.get('caller'), workflow, body, idempotencyKey);
    if (body.stream) return streamEvents(c, output.run_id, -1);
    linkToWebUi(c, output.run_id);
    if (body.background) return c.json({ run_id: output.run_id, session_id: output.session_id, status: 'PENDING' }, 202);
    const final = await deps.engine.waitForRun(output.run_id);
    return c.json(final.toDict());
  });

  // Newest first, at most `limit` runs; each run's state is read (see run-outputs.ts) and sent as soon as it is.
  app.get('/workflows/:workflow_id/runs', async (c) => {
    const workflowId = c.req.param('workflow_id');
    workflowOr404(deps, workflowId);
    const query = validate(ListRunsQuery, c.req.query(), 'query');
    const runs = await deps.engine.listRuns({ ...filters(query, c.get('caller').userId), definitionId: workflowId });
    const outputs = deps.engine.readRuns(runs.map((run) => run.run_id), { withEvents: true });
    return jsonArrayResponse(c, mapped(outputs, workflowRunSchema));
  });

  app.get('/workflows/:workflow_id/runs/:run_id', async (c) => {
    const run = await runOr404(c, c.req.param('workflow_id'), c.req.param('run_id'));
    // With its events, as AgentOS reads a run back (bounded: see output-events.ts).
    const output = await deps.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    if (!output) throw new HttpError(404, 'Run not found.');
    linkToWebUi(c, run.run_id);
    return c.json(output.toDict());
  });

  /**
   * As AgentOS: cancelling asks a run to stop and answers 200 `{}`, also for a run that has already
   * ended or that is unknown (nothing to stop). `?strict=true` (ours) answers 404 for an unknown
   * run and 409 for an ended one instead. A caller bound to a user gets 404 for runs not theirs,
   * as AgentOS answers callers scoped to their sessions.
   */
  app.post('/workflows/:workflow_id/runs/:run_id/cancel', async (c) => {
    const strict = validate(CancelQuery, c.req.query(), 'query').strict;
    const run = await findRun(c, c.req.param('workflow_id'), c.req.param('run_id'));
    if (!run) {
      if (strict || c.get('caller').userId !== undefined) throw new HttpError(404, 'Run not found.');
      return c.json({});
    }
    linkToWebUi(c, run.run_id);
    if (run.status !== 'RUNNING' && run.status !== 'PENDING' && run.status !== 'PAUSED') {
      if (strict) throw new HttpError(409, `Run ${run.run_id} has already ended (${run.status}).`);
      return c.json({});
    }
    try {
      await deps.engine.cancel(run.run_id);
    } catch (err) {
      // It ended in between: as for any ended run.
      if (strict || !(err instanceof RunNotFoundError)) throw err;
    }
    return c.json({});
  });

  // AgentOS: answer a step waiting for confirmation or input, then stream (or wait for) the rest.
  app.post('/workflows/:workflow_id/runs/:run_id/continue', async (c) => {
    const run = await runOr404(c, c.req.param('workflow_id'), c.req.param('run_id'));
    const body = await readBody(c, ContinueRequest);
    const last = await deps.engine.continueRun(run.run_id, body.step_requirements);
    if (body.stream) return streamEvents(c, run.run_id, last);
    linkToWebUi(c, run.run_id);
    // Wait until the run ends or pauses again (another step may ask a person too).
    for await (const event of deps.engine.streamEvents(run.run_id, { after: last })) if (event.event === 'WorkflowPaused') break;
    const output = await deps.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    return c.json(output!.toDict());
  });

  // Beyond AgentOS: retry a failed run from its failed step (or continue a paused one).
  app.post('/workflows/:workflow_id/runs/:run_id/retry', async (c) => {
    const run = await runOr404(c, c.req.param('workflow_id'), c.req.param('run_id'));
    const output = await deps.engine.retryRun(run.run_id);
    linkToWebUi(c, run.run_id);
    return c.json({ run_id: output.run_id, session_id: output.session_id, status: output.status }, 202);
  });

  app.post('/workflows/:workflow_id/runs/:run_id/resume', async (c) => {
    const run = await runOr404(c, c.req.param('workflow_id'), c.req.param('run_id'));
    const body = await readBody(c, ResumeRequest);
    const last = body.last_event_index ?? -1;
    const from = typeof last === 'number' ? last : parseCursor(last);
    if (from === undefined) throw new HttpError(422, 'last_event_index must be an event index or an SSE id of this stream.');
    return streamEvents(c, run.run_id, from);
  });

  app.get('/workflows/:workflow_id/runs/:run_id/events', async (c) => {
    const run = await runOr404(c, c.req.param('workflow_id'), c.req.param('run_id'));
    const query = validate(EventsQuery, c.req.query(), 'query');
    const lastEventId = c.req.header('last-event-id');
    let from: number | StreamCursor = query.after ?? -1;
    if (lastEventId !== undefined && query.after === undefined) {
      // An SSE id of ours: an event index, maybe followed by the live text the client has.
      const cursor = parseCursor(lastEventId);
      if (!cursor || !LastEventId.safeParse(lastEventId.trim().split('~')[0]).success) throw new HttpError(400, 'Last-Event-ID must be an event index: -1 or more (an SSE id of this stream).');
      from = cursor;
    }
    return streamEvents(c, run.run_id, from);
  });

  app.get('/runs', async (c) => {
    const query = validate(ListRunsQuery, c.req.query(), 'query');
    if (query.workflow_id) workflowOr404(deps, query.workflow_id);
    return c.json(await deps.engine.listRuns(filters(query, c.get('caller').userId)));
  });

  return app;
}

/** List filters; a caller bound to a user only ever lists that user's runs. */
function filters(query: ReturnType<typeof ListRunsQuery.parse>, callerUserId: string | undefined) {
  return {
    definitionId: query.workflow_id,
    sessionId: query.session_id,
    userId: callerUserId ?? query.user_id,
    status: query.status,
    limit: query.limit,
  };
}

async function* mapped<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}
