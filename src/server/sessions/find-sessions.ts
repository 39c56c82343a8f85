/**
 * Finding workflow sessions in what Temporal keeps: a session is the runs that share its
 * AgentSessionId search attribute (listed from visibility), and its details come from those runs'
 * outputs (views.ts shapes them). Only the name a person gives a session, and which runs were
 * deleted, are kept beside them (see store.ts).
 */
import { TERMINAL_STATUSES } from '../../contracts/events.ts';
import type { RunOutputDict, RunSummary } from '../../contracts/events.ts';
import { addTokenTotals, emptyTokenTotals, runTokenTotals } from '../../contracts/token-totals.ts';
import type { TokenTotals } from '../../contracts/token-totals.ts';
import type { Engine } from '../../engine/engine.ts';
import { runnableKindOf } from '../../definitions/runnable.ts';

/** AgentOS's session types: a workflow's, or an agent's or team's run on its own. */
export type SessionType = 'agent' | 'team' | 'workflow';

/** The type of the sessions of runs of this `workflow_id`. */
export function sessionTypeOf(workflowId: string): SessionType {
  return runnableKindOf(workflowId) ?? 'workflow';
}

/** Runs read from visibility for one listing: sessions are grouped from at most this many newest runs. */
export const SESSION_RUNS_LIMIT = 1000;

export interface WorkflowSession {
  session_id: string;
  workflow_id: string;
  workflow_name: string;
  user_id?: string;
  /** Oldest first, as AgentOS keeps a session's runs. */
  runs: RunSummary[];
  /** Unix seconds: the first run's start, the last run's start. */
  created_at: number;
  updated_at: number;
}

export interface SessionFilters {
  userId?: string;
  workflowId?: string;
  sessionId?: string;
  /** Only the runs of workflows, or of agents or teams run on their own (see src/definitions/runnable.ts); none: all. */
  type?: SessionType;
  /** Runs of deleted sessions, which Temporal may still list for a while. */
  deleted?: (runId: string) => boolean;
}

/** Sessions of the runs that match, newest first (by their first run). */
export async function listWorkflowSessions(engine: Engine, filters: SessionFilters): Promise<WorkflowSession[]> {
  const runs = await engine.listRuns({ userId: filters.userId, definitionId: filters.workflowId, sessionId: filters.sessionId, limit: SESSION_RUNS_LIMIT });
  const position = new Map(runs.map((run, i) => [run.run_id, i]));
  const bySession = new Map<string, RunSummary[]>();
  for (const run of runs) {
    if (!run.session_id || filters.deleted?.(run.run_id)) continue;
    if (filters.type !== undefined && sessionTypeOf(run.workflow_id) !== filters.type) continue;
    bySession.set(run.session_id, [...(bySession.get(run.session_id) ?? []), run]);
  }
  return [...bySession.values()]
    .map((sessionRuns) => {
      // Runs are listed newest first, also within a second; `created_at` has whole seconds (and a
      // retried run's first start): a stable sort of the reversed listing keeps runs of one second in order.
      const ordered = sessionRuns.reverse().sort((a, b) => a.created_at - b.created_at);
      const first = ordered[0]!;
      const session: WorkflowSession = {
        session_id: first.session_id,
        workflow_id: first.workflow_id,
        workflow_name: first.workflow_name,
        runs: ordered,
        created_at: first.created_at,
        updated_at: ordered.at(-1)!.created_at,
      };
      if (first.user_id !== undefined) session.user_id = first.user_id;
      return session;
    })
    // Sessions begun in the same second: the one whose first run is listed later (older) comes later.
    .sort((a, b) => b.created_at - a.created_at || position.get(a.runs[0]!.run_id)! - position.get(b.runs[0]!.run_id)!);
}

export async function findWorkflowSession(engine: Engine, sessionId: string, filters: Omit<SessionFilters, 'sessionId'>): Promise<WorkflowSession | undefined> {
  return (await listWorkflowSessions(engine, { ...filters, sessionId }))[0];
}

/**
 * The outputs of a session's runs, oldest first; runs Temporal no longer has (deleted) are left
 * out. `withEvents`: with their events, as AgentOS lists a session's runs.
 */
export function sessionRunOutputs(engine: Engine, session: WorkflowSession, options: { withEvents?: boolean } = {}): Promise<RunOutputDict[]> {
  return engine.readAllRuns(session.runs.map((run) => run.run_id), options);
}

/**
 * The tokens of each of these sessions, by session id, from what visibility lists of their runs
 * (each run keeps its totals in its memo). Only runs that ended before runs kept them are read,
 * and only theirs: a listing costs no reads of runs otherwise.
 */
export async function sessionTokenTotals(engine: Engine, sessions: readonly WorkflowSession[]): Promise<Map<string, TokenTotals>> {
  const totals = new Map(sessions.map((session) => [session.session_id, emptyTokenTotals()]));
  const unkept: RunSummary[] = [];
  for (const session of sessions) {
    for (const run of session.runs) {
      if (run.tokens) addTokenTotals(totals.get(session.session_id)!, run.tokens);
      // A run still going has no totals before its first step ends; an ended one without them is older.
      else if (TERMINAL_STATUSES.includes(run.status)) unkept.push(run);
    }
  }
  const outputs = await engine.readAllRuns(unkept.map((run) => run.run_id));
  for (const output of outputs) {
    const session = totals.get(output.session_id);
    if (session) addTokenTotals(session, runTokenTotals(output.metrics));
  }
  return totals;
}
