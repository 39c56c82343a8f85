/**
 * A session's queue (docs/adr/0017-session-queue.md): one small Temporal workflow per session that
 * holds the runs submitted to the session while one of its runs is live, in submission order, and
 * starts each as a child when the one before it has ended. What the engine sends it and what it
 * answers, shared by the engine's client and the workflow.
 */
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { QueuedStrategy } from './multitask-strategies.ts';
import type { RunExecution } from './run-start-options.ts';

export const SESSION_QUEUE_WORKFLOW_TYPE = 'SessionQueue';

/** The queue's workflow id: one queue per session, whoever submits to it. */
export function sessionQueueId(sessionId: string): string {
  return `session-queue:${sessionId}`;
}

/** A run submitted to a session's queue: how to start it, and the strategy it came with. */
export interface QueuedRun {
  execution: RunExecution;
  strategy: QueuedStrategy;
}

export interface SessionQueueInput {
  sessionId: string;
  /** Runs still queued when the queue's last execution continued as new, in order. */
  queued?: QueuedRun[];
  /** History events an execution of the queue grows to before it continues as new; default (and most) 2,000. */
  historyEventsBudget?: number;
}

/** Queue a run (every strategy but `reject`, which must be answered: `submitIfIdleUpdate`). */
export const submitRunSignal = defineSignal<[QueuedRun]>('submitRun');

/** Queue a run only if the session has no live or queued run; refused (`SessionBusy`) otherwise. */
export const submitIfIdleUpdate = defineUpdate<void, [QueuedRun]>('submitIfIdle');

/** The failure type of a refused `submitIfIdle`. */
export const SESSION_BUSY = 'SessionBusy';

/**
 * Cancel a run of the session: a queued one leaves the queue and ends CANCELLED at once, a live
 * one is cancelled. `deleteAfter`: then deleted (the run's deletion, which must not let it start later).
 */
export const cancelRunSignal = defineSignal<[runId: string, deleteAfter?: boolean]>('cancelRun');
