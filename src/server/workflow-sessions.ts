/**
 * Workflow sessions as AgentOS shows them (`SessionSchema`, `WorkflowSessionDetailSchema`,
 * `WorkflowRunSchema`), read from what Temporal keeps: a session is the runs that share its
 * AgentSessionId search attribute (listed from visibility), and its details come from those runs'
 * outputs. Only the name a person gives a session, and which runs were deleted, are kept beside
 * them (see session-store.ts).
 */
import type { z } from 'zod';
import { TERMINAL_STATUSES } from '../contracts/events.ts';
import type { RunOutputDict, RunSummary } from '../contracts/events.ts';
import { addTokenTotals, emptyTokenTotals, runTokenTotals } from '../contracts/token-totals.ts';
import type { TokenTotals } from '../contracts/token-totals.ts';
import type { WorkflowDefinition } from '../definitions/workflow.ts';
import type { Engine } from '../engine/engine.ts';
import type { SessionSummary, WorkflowSessionDetail, WorkflowSessionRun } from './session-schemas.ts';

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
  /** Runs of deleted sessions, which Temporal may still list for a while. */
  deleted?: (runId: string) => boolean;
}

/** Sessions of the runs that match, newest first (by their first run). */
export async function listWorkflowSessions(engine: Engine, filters: SessionFilters): Promise<WorkflowSession[]> {
  const runs = await engine.listRuns({ userId: filters.userId, definitionId: filters.workflowId, sessionId: filters.sessionId, limit: SESSION_RUNS_LIMIT });
  const bySession = new Map<string, RunSummary[]>();
  for (const run of runs) {
    if (!run.session_id || filters.deleted?.(run.run_id)) continue;
    bySession.set(run.session_id, [...(bySession.get(run.session_id) ?? []), run]);
  }
  return [...bySession.values()]
    .map((sessionRuns) => {
      // Visibility lists newest first, to the millisecond; `created_at` has whole seconds (and a
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
    .sort((a, b) => b.created_at - a.created_at);
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

/** Unix seconds as AgentOS's datetimes read: ISO 8601, UTC, whole seconds. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** AgentOS names an unnamed workflow session after its first run's input. */
export function sessionName(session: WorkflowSession, given: string | undefined, firstInput?: string): string {
  return given ?? firstInput ?? session.runs[0]?.input ?? '';
}

/** `SessionSchema`: one session in `GET /sessions`. */
export function sessionSummary(session: WorkflowSession, name: string, tokens: TokenTotals): z.output<typeof SessionSummary> {
  return {
    session_id: session.session_id,
    session_name: name,
    session_state: {},
    created_at: isoSeconds(session.created_at),
    updated_at: isoSeconds(session.updated_at),
    session_type: 'workflow',
    user_id: session.user_id,
    workflow_id: session.workflow_id,
    metrics: tokens,
    total_tokens: tokens.total_tokens,
    metadata: {},
  };
}

/** The token counts of every step of every run, summed, and per model (AgentOS's `session_metrics`). */
function sessionMetrics(outputs: RunOutputDict[]): TokenTotals {
  return outputs.reduce((total, output) => addTokenTotals(total, runTokenTotals(output.metrics)), emptyTokenTotals());
}

/** `WorkflowSessionDetailSchema`: `GET /sessions/{id}` and the answer to a rename. */
export function sessionDetail(
  session: WorkflowSession,
  outputs: RunOutputDict[],
  given: string | undefined,
  workflow: WorkflowDefinition | undefined,
): z.output<typeof WorkflowSessionDetail> {
  const name = sessionName(session, given, outputs[0]?.input);
  const workflowData = workflow
    ? {
        workflow_id: workflow.id,
        name: workflow.name,
        steps: workflow.toPlan().steps.map((step) => ({ name: step.name, description: 'description' in step ? (step.description ?? null) : null, type: 'Step' as const })),
      }
    : { workflow_id: session.workflow_id, name: session.workflow_name };
  return {
    user_id: session.user_id,
    workflow_id: session.workflow_id,
    workflow_name: session.workflow_name,
    session_id: session.session_id,
    session_name: name,
    session_data: { session_state: {}, session_metrics: sessionMetrics(outputs), ...(given !== undefined ? { session_name: given } : {}) },
    session_state: {},
    workflow_data: workflowData,
    metadata: {},
    created_at: isoSeconds(session.created_at),
    updated_at: isoSeconds(session.updated_at),
  };
}

/** `WorkflowRunSchema`: a run as `GET /sessions/{id}/runs` lists it. */
export function workflowRunSchema(output: RunOutputDict): z.output<typeof WorkflowSessionRun> {
  // Fields left undefined are left out of the JSON answer.
  return {
    run_id: output.run_id,
    run_input: output.input,
    events: output.events,
    events_truncated: output.events_truncated,
    events_truncated_reason: output.events_truncated_reason,
    workflow_id: output.workflow_id,
    user_id: output.user_id,
    content: output.content,
    content_type: output.content_type,
    status: output.status,
    step_results: output.step_results,
    step_executor_runs: output.step_executor_runs,
    step_requirements: output.step_requirements,
    pause_kind: output.pause_kind,
    paused_step_name: output.paused_step_name,
    paused_step_index: output.paused_step_index,
    cancellation_stage: output.cancellation_stage,
    metrics: output.metrics,
    created_at: isoSeconds(output.created_at),
    // No model here reasons visibly, cites or produces media: AgentOS's empty values.
    reasoning_content: '',
    reasoning_steps: [],
    reasoning_messages: [],
    references: [],
    images: [],
    videos: [],
    audio: [],
    files: [],
  };
}
