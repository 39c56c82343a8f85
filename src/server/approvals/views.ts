/**
 * An approval as Agno shows it, from a run: each question a run asks a person (a step requiring
 * confirmation or input, kept in the run's `step_requirements` with its answer) is an approval,
 * named `<run_id>~<n>` for the run's n-th question. Its status follows from the run: pending
 * while the run waits on it, approved or rejected once answered, expired when nobody answered in
 * time, cancelled when the run ended while it waited.
 */
import type { RunState, StepRequirement } from '../../contracts/events.ts';
import type { Approval, ApprovalStatusName } from '../../contracts/wire-schemas/approvals.ts';

/** What an approval is read from: a run's stored state, or a run as the API returns it. */
export type RunOfApprovals = Pick<RunState, 'run_id' | 'workflow_id' | 'workflow_name' | 'session_id' | 'user_id' | 'status' | 'step_requirements' | 'pause_kind'>;

/** Agno's times are whole Unix seconds. */
const wholeSeconds = (seconds: number | undefined) => (seconds === undefined ? null : Math.floor(seconds));

/** When the approval was made and answered, as far as the caller knows (Unix seconds). */
export interface ApprovalTimes {
  created_at?: number;
  updated_at?: number;
  resolved_at?: number;
  resolved_by?: string;
}

export const approvalId = (runId: string, position: number) => `${runId}~${position}`;

/** The run and position an approval id names; undefined for an id no approval can have. */
export function parseApprovalId(id: string): { runId: string; position: number } | undefined {
  const at = id.lastIndexOf('~');
  const position = id.slice(at + 1);
  if (at <= 0 || !/^\d{1,6}$/.test(position)) return undefined;
  return { runId: id.slice(0, at), position: Number(position) };
}

/** The position of the question the run waits on now, if it waits for a person. */
export function waitingPosition(run: RunOfApprovals): number | undefined {
  const asked = run.step_requirements?.length ?? 0;
  return run.status === 'PAUSED' && run.pause_kind === 'step' && asked > 0 ? asked - 1 : undefined;
}

export function approvalStatus(run: RunOfApprovals, position: number): ApprovalStatusName {
  const requirement = run.step_requirements![position]!;
  if (waitingPosition(run) === position) return 'pending';
  if (requirement.confirmed === false) return 'rejected';
  if (requirement.confirmed === true || requirement.user_input !== undefined) return 'approved';
  // Unanswered and no longer waited on: the wait ran out, or the run ended during it.
  return requirement.timeout_at !== undefined && run.status !== 'CANCELLED' ? 'expired' : 'cancelled';
}

/** The run's `position`-th question as an approval; the question must exist. */
export function approvalOf(run: RunOfApprovals, position: number, times: ApprovalTimes = {}): Approval {
  const requirement: StepRequirement = run.step_requirements![position]!;
  const status = approvalStatus(run, position);
  const context: Record<string, unknown> = { source_name: run.workflow_name };
  if (requirement.step_name !== undefined) context.step_name = requirement.step_name;
  return {
    id: approvalId(run.run_id, position),
    run_id: run.run_id,
    session_id: run.session_id,
    status,
    source_type: 'workflow',
    approval_type: 'required',
    pause_type: requirement.requires_user_input ? 'user_input' : 'confirmation',
    tool_name: null,
    tool_args: null,
    expires_at: requirement.timeout_at !== undefined ? Math.floor(Date.parse(requirement.timeout_at) / 1000) : null,
    agent_id: null,
    team_id: null,
    workflow_id: run.workflow_id,
    user_id: run.user_id ?? null,
    schedule_id: null,
    schedule_run_id: null,
    source_name: run.workflow_name,
    requirements: [requirement],
    context,
    resolution_data: status === 'approved' && requirement.user_input !== undefined ? requirement.user_input : null,
    resolved_by: times.resolved_by ?? null,
    resolved_at: wholeSeconds(times.resolved_at),
    created_at: wholeSeconds(times.created_at),
    updated_at: wholeSeconds(times.updated_at),
    run_status: run.status,
  };
}
