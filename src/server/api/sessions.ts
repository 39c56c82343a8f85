/**
 * AgentOS's session routes, for workflow sessions (the ones Agno's UI lists): list, read, a
 * session's runs, rename and delete. Sessions are read from Temporal (see workflow-sessions.ts);
 * deleting one deletes its runs' executions, and its name (see session-store.ts).
 *
 * A caller bound to a user sees and deletes only that user's sessions, whatever `user_id` says.
 * Names are per user too: a session's name is the one its user gave it (the user of the session
 * as the caller sees it; for a view of several users' runs, the user of the first), so another
 * user who runs under the same session id names and deletes only their own view of it.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { z } from 'zod';
import { readBody, validate } from '../http/body.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { DeleteSessionsRequest, RenameSessionRequest, SessionId, SessionQuery, SessionScopeQuery, SessionsQuery } from '../session-schemas.ts';
import type { SessionStore } from '../session-store.ts';
import {
  findWorkflowSession,
  listWorkflowSessions,
  sessionDetail,
  sessionName,
  sessionRunOutputs,
  sessionSummary,
  sessionTokenTotals,
  workflowRunSchema,
} from '../workflow-sessions.ts';
import type { WorkflowSession } from '../workflow-sessions.ts';

type Scope = { type?: 'agent' | 'team' | 'workflow'; user_id?: string; db_id?: string };

export function sessionRoutes(deps: ServerDeps, store: SessionStore) {
  const app = new Hono<AppEnv>();

  /** The user whose sessions the caller sees: its own when bound to one, else the query's (or all). */
  const userOf = (c: Context<AppEnv>, scope: Scope) => c.get('caller').userId ?? scope.user_id;

  function checkDatabase(scope: Scope): void {
    if (scope.db_id !== undefined && scope.db_id !== deps.namespace) throw new HttpError(404, `Database ${scope.db_id} not found.`);
  }

  /** The caller's workflow session with this id, if there is one; an id no run can have is not looked for. */
  async function findSession(c: Context<AppEnv>, sessionId: string, scope: Scope, deleted?: (runId: string) => boolean): Promise<WorkflowSession | undefined> {
    if (!SessionId.safeParse(sessionId).success) return undefined;
    return findWorkflowSession(deps.engine, sessionId, { userId: userOf(c, scope), deleted: deleted ?? (await store.deletedRuns()) });
  }

  /** Agent and team sessions never exist here; workflow ones are found by their runs. */
  async function sessionOr404(c: Context<AppEnv>, sessionId: string, scope: Scope): Promise<WorkflowSession> {
    checkDatabase(scope);
    const type = scope.type ?? 'workflow';
    const session = type === 'workflow' ? await findSession(c, sessionId, scope) : undefined;
    if (!session) throw new HttpError(404, `${type[0]!.toUpperCase()}${type.slice(1)} Session with id '${sessionId}' not found`);
    return session;
  }

  /** The session with its runs' outputs; 404 once none of its runs is left (deleted ones linger in visibility a moment). */
  async function sessionWithRuns(c: Context<AppEnv>, sessionId: string, scope: Scope, withEvents = false) {
    const session = await sessionOr404(c, sessionId, scope);
    const outputs = await sessionRunOutputs(deps.engine, session, { withEvents });
    if (outputs.length === 0) throw new HttpError(404, `Session with ID ${sessionId} not found`);
    return { session, outputs };
  }

  /** The user whose runs began the session (whoever's they are): whose a name kept by session id alone is. */
  async function ownerOf(sessionId: string, deleted: (runId: string) => boolean): Promise<string | undefined> {
    return (await findWorkflowSession(deps.engine, sessionId, { deleted }))?.user_id;
  }

  /** The name the session's user gave it, if any. */
  async function givenName(session: WorkflowSession): Promise<string | undefined> {
    const own = await store.get(session.session_id, session.user_id);
    if (own || session.user_id === undefined) return own?.session_name;
    const legacy = await store.legacyName(session.session_id);
    if (legacy === undefined) return undefined;
    return (await ownerOf(session.session_id, await store.deletedRuns())) === session.user_id ? legacy : undefined;
  }

  async function detail(c: Context<AppEnv>, sessionId: string, scope: Scope) {
    const { session, outputs } = await sessionWithRuns(c, sessionId, scope);
    return sessionDetail(session, outputs, await givenName(session), deps.workflows.get(session.workflow_id));
  }

  /** Deletes the sessions that are there (as AgentOS: deleting what is not there succeeds). */
  async function deleteSessions(c: Context<AppEnv>, sessionIds: string[], scope: Scope): Promise<void> {
    const deleted = await store.deletedRuns();
    const found: WorkflowSession[] = [];
    const ids = [...new Set(sessionIds)];
    // A few at a time: each is a visibility query.
    for (let i = 0; i < ids.length; i += 8) {
      for (const session of await Promise.all(ids.slice(i, i + 8).map((id) => findSession(c, id, scope, deleted)))) if (session) found.push(session);
    }
    // The names of every user whose runs go; a legacy name with its owner's (asked before the runs are marked).
    const names = new Map<string, Set<string | undefined>>();
    for (const session of found) {
      const users = new Set(session.runs.map((run) => run.user_id));
      if ((await store.legacyName(session.session_id)) !== undefined && users.has(await ownerOf(session.session_id, deleted))) users.add(undefined);
      names.set(session.session_id, users);
    }
    const runIds = found.flatMap((session) => session.runs.map((run) => run.run_id));
    // Marked first: readers leave the runs out at once, while Temporal deletes them in its own time.
    await store.markDeleted(runIds);
    for (const runId of runIds) await deps.engine.deleteRun(runId);
    for (const [sessionId, users] of names) await store.delete(sessionId, users);
  }

  app.get('/sessions', async (c) => {
    const searchStarted = performance.now();
    const query = validate(SessionsQuery, c.req.query(), 'query');
    checkDatabase(query);
    const sessions =
      (query.type ?? 'workflow') === 'workflow'
        ? await listWorkflowSessions(deps.engine, { userId: userOf(c, query), workflowId: query.component_id, deleted: await store.deletedRuns() })
        : [];
    const nameOf = async (session: WorkflowSession) => sessionName(session, await givenName(session));
    let named = sessions.map((session) => ({ session, name: undefined as string | undefined }));
    if (query.session_name !== undefined) {
      // Filtering by name needs every name; otherwise only the page's are read.
      const needle = query.session_name.toLowerCase();
      named = (await Promise.all(sessions.map(async (session) => ({ session, name: await nameOf(session) })))).filter(({ name }) => name.toLowerCase().includes(needle));
    }
    const key = query.sort_by;
    named.sort((a, b) => (query.sort_order === 'asc' ? 1 : -1) * (a.session[key] - b.session[key]));
    const offset = (Math.max(query.page, 1) - 1) * query.limit;
    const page = named.slice(offset, offset + query.limit);
    const tokens = await sessionTokenTotals(deps.engine, page.map(({ session }) => session));
    const data = await Promise.all(page.map(async ({ session, name }) => sessionSummary(session, name ?? (await nameOf(session)), tokens.get(session.session_id)!)));
    return c.json({
      data,
      meta: {
        page: query.page,
        limit: query.limit,
        total_pages: Math.ceil(named.length / query.limit),
        total_count: named.length,
        search_time_ms: Math.round((performance.now() - searchStarted) * 100) / 100,
      },
    });
  });

  app.get('/sessions/:session_id', async (c) => c.json(await detail(c, c.req.param('session_id'), validate(SessionQuery, c.req.query(), 'query'))));

  app.get('/sessions/:session_id/runs', async (c) => {
    const { outputs } = await sessionWithRuns(c, c.req.param('session_id'), validate(SessionQuery, c.req.query(), 'query'), true);
    return c.json(outputs.map(workflowRunSchema));
  });

  app.get('/sessions/:session_id/runs/:run_id', async (c) => {
    const sessionId = c.req.param('session_id');
    const runId = c.req.param('run_id');
    const { outputs } = await sessionWithRuns(c, sessionId, validate(SessionQuery, c.req.query(), 'query'), true);
    const output = outputs.find((run) => run.run_id === runId);
    if (!output) throw new HttpError(404, `Run with ID ${runId} not found in session ${sessionId}`);
    return c.json(workflowRunSchema(output));
  });

  app.post('/sessions/:session_id/rename', async (c) => {
    const sessionId = c.req.param('session_id');
    const scope = validate(SessionQuery, c.req.query(), 'query');
    const body = await readJsonBody(c, RenameSessionRequest);
    const { session, outputs } = await sessionWithRuns(c, sessionId, scope);
    await store.set(sessionId, session.user_id, body.session_name);
    return c.json(sessionDetail(session, outputs, body.session_name, deps.workflows.get(session.workflow_id)));
  });

  app.delete('/sessions/:session_id', async (c) => {
    const scope = validate(SessionScopeQuery, c.req.query(), 'query');
    checkDatabase(scope);
    await deleteSessions(c, [c.req.param('session_id')], scope);
    return c.body(null, 204);
  });

  app.delete('/sessions', async (c) => {
    const scope = validate(SessionScopeQuery, c.req.query(), 'query');
    checkDatabase(scope);
    const body = await readJsonBody(c, DeleteSessionsRequest);
    // AgentOS's answer; JSON Schema cannot say it, so the document lists each allowed length.
    if (body.session_ids.length !== body.session_types.length) throw new HttpError(400, 'Session IDs and session types must have the same length');
    await deleteSessions(c, body.session_ids.filter((_, i) => body.session_types[i] === 'workflow'), scope);
    return c.body(null, 204);
  });

  return app;
}

/** Session bodies are JSON, as AgentOS reads them (FastAPI `Body`); no body at all reads as no fields. */
async function readJsonBody<S extends z.ZodObject>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const none = type === '' && (await c.req.arrayBuffer()).byteLength === 0;
  if (type !== 'application/json' && !none) throw new HttpError(415, `Unsupported content type ${type || '(none)'}: send application/json.`);
  return readBody(c, schema);
}
