/**
 * Approvals read from the run store, the system of record for reads: the runs waiting for a
 * person are its PAUSED runs whose state says so. Nothing here asks Temporal or a worker. Without
 * a run store there are no approvals to read (503, as AgentOS answers without a database for them).
 */
import type { RunRecord, RunStore } from '../../run-store/run-store.ts';
import { MAX_RUN_PAGE } from '../../run-store/page-limits.ts';
import type { Caller, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { approvalOf, parseApprovalId, waitingPosition } from './views.ts';
import type { ApprovalTimes, RunOfApprovals } from './views.ts';
import type { Approval } from '../../contracts/wire-schemas/approvals.ts';

/** One approval as found: its run, its position among the run's questions, and the record's times. */
export interface FoundApproval {
  run: RunOfApprovals;
  position: number;
  times: ApprovalTimes;
}

/** Filters of the pending approvals, combined with AND. */
export interface PendingFilters {
  workflowId?: string;
  userId?: string;
  runId?: string;
  pauseType?: string;
}

export function runStoreOf(deps: ServerDeps): RunStore {
  const store = deps.engine.runStore;
  if (!store) throw new HttpError(503, 'Approvals are read from the run store, and this API has none.');
  return store;
}

/** The approval `id` names, if the caller may see it (another user's is reported as missing). */
export async function findApproval(deps: ServerDeps, caller: Caller, id: string): Promise<FoundApproval | undefined> {
  const store = runStoreOf(deps);
  const named = parseApprovalId(id);
  if (!named) return undefined;
  const record = await store.getRun(named.runId);
  if (!record || (caller.userId !== undefined && record.user_id !== caller.userId)) return undefined;
  const run = runOf(record);
  if (named.position >= (run.step_requirements?.length ?? 0)) return undefined;
  return { run, position: named.position, times: timesOf(run, named.position, record) };
}

/** The approvals pending now (one per run waiting for a person), newest run first. */
export async function pendingApprovals(deps: ServerDeps, filters: PendingFilters): Promise<Approval[]> {
  const store = runStoreOf(deps);
  const approvals: Approval[] = [];
  for await (const record of pausedRuns(store, filters)) {
    const run = runOf(record);
    const position = waitingPosition(run);
    if (position === undefined) continue;
    const approval = approvalOf(run, position, timesOf(run, position, record));
    if (filters.pauseType === undefined || approval.pause_type === filters.pauseType) approvals.push(approval);
  }
  return approvals;
}

/** The paused runs that match (also those held after a failure, which the caller skips). */
async function* pausedRuns(store: RunStore, filters: PendingFilters): AsyncGenerator<RunRecord> {
  const matches = (record: RunRecord | undefined): record is RunRecord =>
    record !== undefined &&
    record.status === 'PAUSED' &&
    (filters.workflowId === undefined || record.workflow_id === filters.workflowId) &&
    (filters.userId === undefined || record.user_id === filters.userId);
  if (filters.runId !== undefined) {
    const record = await store.getRun(filters.runId);
    if (matches(record)) yield record;
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await store.listRuns({ status: 'PAUSED', workflowId: filters.workflowId, userId: filters.userId, limit: MAX_RUN_PAGE, cursor });
    for (const summary of page.runs) {
      // Read again: a run may have been answered since the page was read.
      const record = await store.getRun(summary.run_id);
      if (matches(record)) yield record;
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
}

/** The row's status is the run's: its state still reads PAUSED for a run ended outside its code. */
function runOf(record: RunRecord): RunOfApprovals {
  return { ...record.state, status: record.status };
}

/** While the run waits on this question, its row was last written when it paused. */
function timesOf(run: RunOfApprovals, position: number, record: RunRecord): ApprovalTimes {
  return waitingPosition(run) === position ? { created_at: record.updated_at, updated_at: record.updated_at } : { updated_at: record.updated_at };
}
