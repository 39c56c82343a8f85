/** Run statuses and Temporal's execution statuses, both ways. */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { RunStatus } from '../contracts/events.ts';

/** The run status an execution's Temporal status means; an open run may say more of itself (see `summaryOf`). */
export function statusOf(execution: Pick<WorkflowExecutionInfo, 'status'>): RunStatus {
  switch (execution.status.name) {
    case 'RUNNING':
      return 'RUNNING';
    case 'COMPLETED':
      return 'COMPLETED';
    case 'CANCELLED':
    case 'TERMINATED':
      return 'CANCELLED';
    default:
      return 'ERROR';
  }
}

export type ClosedStatus = 'COMPLETED' | 'ERROR' | 'CANCELLED';

/** The Temporal execution statuses that mean each closed run status, for visibility queries. */
export const EXECUTION_STATUSES: Record<ClosedStatus, string[]> = {
  COMPLETED: ['Completed'],
  ERROR: ['Failed', 'TimedOut'],
  CANCELLED: ['Canceled', 'Terminated'],
};

/** Statuses an open run reports of itself through its search attribute. */
export const OPEN_STATUSES: readonly RunStatus[] = ['PENDING', 'RUNNING', 'PAUSED'];
