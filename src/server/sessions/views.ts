/**
 * Workflow sessions as AgentOS shows them: `SessionSchema` in lists, `WorkflowSessionDetailSchema`
 * for one session, built from the session's runs and the name its user gave it.
 */
import type { z } from 'zod';
import type { RunOutputDict } from '../../contracts/events.ts';
import { addTokenTotals, emptyTokenTotals, runTokenTotals } from '../../contracts/token-totals.ts';
import type { TokenTotals } from '../../contracts/token-totals.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import { isoSeconds } from '../wire/workflow-run.ts';
import { sessionTypeOf } from './find-sessions.ts';
import type { WorkflowSession } from './find-sessions.ts';
import type { SessionSummary, WorkflowSessionDetail } from './schemas.ts';

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
    ...sessionOwner(session),
    user_id: session.user_id,
    metrics: tokens,
    total_tokens: tokens.total_tokens,
    metadata: {},
  };
}

/** Whose session it is, as AgentOS says it: a workflow's, an agent's or a team's. */
function sessionOwner(session: WorkflowSession) {
  const type = sessionTypeOf(session.workflow_id);
  const id = session.workflow_id.slice(session.workflow_id.indexOf(':') + 1);
  if (type === 'agent') return { session_type: type, agent_id: id };
  if (type === 'team') return { session_type: type, team_id: id };
  return { session_type: type, workflow_id: session.workflow_id };
}

/** The token counts of every step of every run, summed, and per model (AgentOS's `session_metrics`). */
export function sessionMetrics(outputs: RunOutputDict[]): TokenTotals {
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
