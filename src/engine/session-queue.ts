/**
 * The client side of sessions' queues (docs/adr/0017-session-queue.md): submitting a run to its
 * session's queue workflow, started by the same call if the session has none open, and taking a
 * queued run out of it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { cancelRunSignal, SESSION_BUSY, SESSION_QUEUE_WORKFLOW_TYPE, sessionQueueId, submitIfIdleUpdate, submitRunSignal } from '../contracts/session-queue-api.ts';
import type { QueuedRun, SessionQueueInput } from '../contracts/session-queue-api.ts';
import { TERMINAL_STATUSES } from '../contracts/events.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { RunNotFoundError, SessionBusyError } from './errors.ts';
import { updateResult } from './run-update.ts';

function queueStart(taskQueue: string, sessionId: string) {
  const input: SessionQueueInput = { sessionId };
  return { workflowId: sessionQueueId(sessionId), taskQueue, args: [input] as [SessionQueueInput], staticSummary: `Queue of session ${sessionId}` };
}

/**
 * Queues the run in its session. Every strategy but `reject` is a signal-with-start: the server
 * takes it with no worker running. `reject` must know the session's state, so it is an
 * update-with-start, answered by a worker; refused, it throws `SessionBusyError`, and with no
 * worker taking it in time `RunUnavailableError`. `store`: where a refusal is checked against
 * what readers already see (below).
 */
export async function submitToSessionQueue(client: Client, taskQueue: string, queued: QueuedRun, store?: RunStore): Promise<void> {
  const { sessionId } = queued.execution.run;
  const start = queueStart(taskQueue, sessionId);
  if (queued.strategy !== 'reject') {
    await client.workflow.signalWithStart(SESSION_QUEUE_WORKFLOW_TYPE, { ...start, signal: submitRunSignal, signalArgs: [queued] });
    return;
  }
  const settlingUntil = Date.now() + SETTLING_WAIT_MS;
  for (;;) {
    try {
      // Within the deadline of updates: with no worker up, the caller is told (503) rather than kept waiting.
      await updateResult(client, queued.execution.runId, 'the start', () =>
        client.workflow.executeUpdateWithStart(submitIfIdleUpdate, {
          args: [queued],
          startWorkflowOperation: new WithStartWorkflowOperation(SESSION_QUEUE_WORKFLOW_TYPE, { ...start, workflowIdConflictPolicy: 'USE_EXISTING' }),
        }),
      );
      return;
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === SESSION_BUSY)) throw err;
      // A run's end reaches the store just before its execution closes and its queue hears of it:
      // a client that read the session's last run ended and starts at once is not refused for it.
      if (!store || Date.now() > settlingUntil || !(await sessionEnded(store, sessionId))) throw new SessionBusyError(queued.execution.runId, sessionId);
      await delay(SETTLING_POLL_MS);
    }
  }
}

/** Longest a `reject` start waits for the queue of a session whose runs readers see ended. */
const SETTLING_WAIT_MS = 5_000;
const SETTLING_POLL_MS = 50;

/** Whether every run of the session the store holds has ended. */
async function sessionEnded(store: RunStore, sessionId: string): Promise<boolean> {
  const { runs } = await store.listRuns({ sessionId, limit: 1000 });
  return runs.every((run) => TERMINAL_STATUSES.includes(run.status));
}

/** Asks the session's queue to cancel the run (queued: it leaves the queue and ends CANCELLED), and with `deleteAfter` to delete it then. */
export async function cancelInSessionQueue(client: Client, sessionId: string, runId: string, { deleteAfter = false } = {}): Promise<void> {
  try {
    await client.workflow.getHandle(sessionQueueId(sessionId)).signal(cancelRunSignal, runId, deleteAfter);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(runId);
    throw err;
  }
}
