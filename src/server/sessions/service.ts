/**
 * AgentOS's workflow sessions for the routes: finding a caller's session, its runs and the name
 * its user gave it, a page of the caller's sessions, and deleting sessions with their runs.
 *
 * A caller bound to a user sees and deletes only that user's sessions, whatever `user_id` says.
 * Names are per user too: a session's name is the one its user gave it (the user of the session
 * as the caller sees it; for a view of several users' runs, the user of the first), so another
 * user who runs under the same session id names and deletes only their own view of it.
 */
import type { z } from 'zod';
import type { RunOutputDict } from '../../contracts/events.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Caller } from '../http/auth.ts';
import { HttpError } from '../http/errors.ts';
import { findWorkflowSession, listWorkflowSessions, sessionRunOutputs, sessionTokenTotals, sessionTypeOf } from './find-sessions.ts';
import type { SessionType, WorkflowSession } from './find-sessions.ts';
import { runnableId } from '../../definitions/runnable.ts';
import { SessionId } from './schemas.ts';
import type { SessionsPage, SessionsQuery } from './schemas.ts';
import type { SessionStore } from './store.ts';
import { pageMeta } from '../wire/page-meta.ts';
import { sessionDetail, sessionMetrics, sessionName, sessionSummary } from './views.ts';
import { ownSessionDetail, ownSessionRuns } from './own-session-views.ts';
import { workflowRunSchema } from '../wire/workflow-run.ts';

export type SessionScope = { type?: SessionType; user_id?: string; db_id?: string };

/** Sessions looked for at once while deleting: each is a visibility query. */
const FINDS_AT_ONCE = 8;

export class SessionService {
  private readonly engine: Engine;
  private readonly store: SessionStore;
  private readonly namespace: string;
  private readonly workflows: Map<string, WorkflowDefinition>;

  constructor(options: { engine: Engine; store: SessionStore; namespace: string; workflows: Map<string, WorkflowDefinition> }) {
    this.engine = options.engine;
    this.store = options.store;
    this.namespace = options.namespace;
    this.workflows = options.workflows;
  }

  /** Only the Temporal namespace runs are kept in is a database here. */
  checkDatabase(scope: SessionScope): void {
    if (scope.db_id !== undefined && scope.db_id !== this.namespace) throw new HttpError(404, `Database ${scope.db_id} not found.`);
  }

  /** A page of the caller's sessions, filtered by name, sorted, with each one's tokens. */
  async page(caller: Caller, query: z.output<typeof SessionsQuery>): Promise<z.output<typeof SessionsPage>> {
    const searchStarted = performance.now();
    this.checkDatabase(query);
    const type = query.type ?? 'workflow';
    // An agent's or team's runs carry its id under its kind (src/definitions/runnable.ts).
    const workflowId = query.component_id === undefined || type === 'workflow' ? query.component_id : runnableId(type, query.component_id);
    const sessions = await listWorkflowSessions(this.engine, { userId: userOf(caller, query), workflowId, type, deleted: await this.store.deletedRuns() });
    const nameOf = async (session: WorkflowSession) => sessionName(session, await this.givenName(session));
    let named = sessions.map((session) => ({ session, name: undefined as string | undefined }));
    if (query.session_name !== undefined) {
      // Filtering by name needs every name; otherwise only the page's are read.
      const needle = query.session_name.toLowerCase();
      named = (await Promise.all(sessions.map(async (session) => ({ session, name: await nameOf(session) })))).filter(({ name }) => name.toLowerCase().includes(needle));
    }
    const key = query.sort_by;
    // Newest first as listed; ascending, sessions of the same second keep their order oldest first.
    if (query.sort_order === 'asc') named.reverse();
    named.sort((a, b) => (query.sort_order === 'asc' ? 1 : -1) * (a.session[key] - b.session[key]));
    const offset = (Math.max(query.page, 1) - 1) * query.limit;
    const page = named.slice(offset, offset + query.limit);
    const tokens = await sessionTokenTotals(this.engine, page.map(({ session }) => session));
    const data = await Promise.all(page.map(async ({ session, name }) => sessionSummary(session, name ?? (await nameOf(session)), tokens.get(session.session_id)!)));
    return {
      data,
      meta: pageMeta(query, named.length, searchStarted),
    };
  }

  /** The session with its runs' outputs; 404 once none of its runs is left (deleted ones linger in visibility a moment). */
  async withRuns(caller: Caller, sessionId: string, scope: SessionScope, withEvents = false): Promise<{ session: WorkflowSession; outputs: RunOutputDict[] }> {
    const session = await this.sessionOr404(caller, sessionId, scope);
    const outputs = await sessionRunOutputs(this.engine, session, { withEvents });
    if (outputs.length === 0) throw new HttpError(404, `Session with ID ${sessionId} not found`);
    return { session, outputs };
  }

  /**
   * The session's runs as AgentOS lists them, oldest first: a workflow's as `WorkflowRunSchema`
   * with their events; an agent's or team's as `RunSchema` / `TeamRunSchema`, a team's members' runs too.
   */
  async runs(caller: Caller, sessionId: string, scope: SessionScope) {
    const own = (scope.type ?? 'workflow') !== 'workflow';
    const { outputs } = await this.withRuns(caller, sessionId, scope, !own);
    return own ? ownSessionRuns(outputs) : outputs.map(workflowRunSchema);
  }

  /** The session's detail (`WorkflowSessionDetailSchema`, or an agent's or team's), named as its user named it. */
  async detail(caller: Caller, sessionId: string, scope: SessionScope) {
    const { session, outputs } = await this.withRuns(caller, sessionId, scope);
    return this.detailOf(session, outputs, await this.givenName(session));
  }

  /** Names the session for its user; answers its detail under the new name. */
  async rename(caller: Caller, sessionId: string, scope: SessionScope, name: string) {
    const { session, outputs } = await this.withRuns(caller, sessionId, scope);
    await this.store.set(sessionId, session.user_id, name);
    return this.detailOf(session, outputs, name);
  }

  private detailOf(session: WorkflowSession, outputs: RunOutputDict[], given: string | undefined) {
    if (sessionTypeOf(session.workflow_id) === 'workflow') return sessionDetail(session, outputs, given, this.workflows.get(session.workflow_id));
    return ownSessionDetail(session, outputs, sessionName(session, given, outputs[0]?.input), sessionMetrics(outputs));
  }

  /** Deletes the sessions that are there (as AgentOS: deleting what is not there succeeds). */
  async delete(caller: Caller, sessionIds: string[], scope: SessionScope): Promise<void> {
    const deleted = await this.store.deletedRuns();
    const found: WorkflowSession[] = [];
    const ids = [...new Set(sessionIds)];
    for (let i = 0; i < ids.length; i += FINDS_AT_ONCE) {
      const sessions = await Promise.all(ids.slice(i, i + FINDS_AT_ONCE).map((id) => this.find(caller, id, scope, deleted)));
      for (const session of sessions) if (session) found.push(session);
    }
    // The names of every user whose runs go; a legacy name with its owner's (asked before the runs are marked).
    const names = new Map<string, Set<string | undefined>>();
    for (const session of found) {
      const users = new Set(session.runs.map((run) => run.user_id));
      if ((await this.store.legacyName(session.session_id)) !== undefined && users.has(await this.ownerOf(session.session_id, deleted))) users.add(undefined);
      names.set(session.session_id, users);
    }
    const runs = found.flatMap((session) => session.runs);
    // The queued ones first: deleting a session's live run would let its queue start the next.
    const runIds = [...runs.filter((run) => run.status === 'PENDING'), ...runs.filter((run) => run.status !== 'PENDING')].map((run) => run.run_id);
    // Marked first: readers leave the runs out at once, while Temporal deletes them in its own time.
    await this.store.markDeleted(runIds);
    for (const runId of runIds) await this.engine.deleteRun(runId);
    for (const [sessionId, users] of names) await this.store.delete(sessionId, users);
  }

  /** The caller's workflow session with this id, if there is one; an id no run can have is not looked for. */
  private async find(caller: Caller, sessionId: string, scope: SessionScope, deleted?: (runId: string) => boolean): Promise<WorkflowSession | undefined> {
    if (!SessionId.safeParse(sessionId).success) return undefined;
    return findWorkflowSession(this.engine, sessionId, { userId: userOf(caller, scope), type: scope.type, deleted: deleted ?? (await this.store.deletedRuns()) });
  }

  /** The session of this type (a workflow's by default), found by its runs. */
  private async sessionOr404(caller: Caller, sessionId: string, scope: SessionScope): Promise<WorkflowSession> {
    this.checkDatabase(scope);
    const type = scope.type ?? 'workflow';
    const session = await this.find(caller, sessionId, { ...scope, type });
    if (!session) throw new HttpError(404, `${type[0]!.toUpperCase()}${type.slice(1)} Session with id '${sessionId}' not found`);
    return session;
  }

  /** The user whose runs began the session (whoever's they are): whose a name kept by session id alone is. */
  private async ownerOf(sessionId: string, deleted: (runId: string) => boolean): Promise<string | undefined> {
    return (await findWorkflowSession(this.engine, sessionId, { deleted }))?.user_id;
  }

  /** The name the session's user gave it, if any. */
  private async givenName(session: WorkflowSession): Promise<string | undefined> {
    const own = await this.store.get(session.session_id, session.user_id);
    if (own || session.user_id === undefined) return own?.session_name;
    const legacy = await this.store.legacyName(session.session_id);
    if (legacy === undefined) return undefined;
    return (await this.ownerOf(session.session_id, await this.store.deletedRuns())) === session.user_id ? legacy : undefined;
  }
}

/** The user whose sessions the caller sees: its own when bound to one, else the query's (or all). */
function userOf(caller: Caller, scope: SessionScope): string | undefined {
  return caller.userId ?? scope.user_id;
}
