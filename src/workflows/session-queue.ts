/**
 * A session's queue (docs/adr/0017-session-queue.md): holds the runs submitted to one session, in
 * order, and starts each as a child workflow (ParentClosePolicy ABANDON: a run outlives its queue)
 * once the run before it has ended. A PAUSED run is still open, so it holds the session.
 *
 * An entity workflow: it ends as soon as nothing is queued or live (the next submission starts it
 * again by signal-with-start), continues as new between two runs when its history grows, and does
 * either only once every handler has finished, so that no signal is lost at its end.
 */
import {
  ApplicationFailure,
  ChildWorkflowCancellationType,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
  allHandlersFinished,
  patched,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import type { RunWorkflow } from '../contracts/run-workflow-api.ts';
import { runStartOptions } from '../contracts/run-start-options.ts';
import { cancelRunSignal, SESSION_BUSY, submitIfIdleUpdate, submitRunSignal } from '../contracts/session-queue-api.ts';
import type { QueuedRun, SessionQueueInput } from '../contracts/session-queue-api.ts';

/** History events one execution of a queue may grow to before it continues as new (a run costs about ten). */
const HISTORY_EVENTS_BUDGET = 2000;

// Deleting waits for Temporal's own deletion of the execution (activities/delete-run.ts).
const { deleteRun } = proxyActivities<Activities>({ startToCloseTimeout: '3 minutes' });
// Writes of the run store, in the worker that runs the queue's task: no round trip through a task queue.
const { runSlotFree, reserveRunSlot, releaseRunSlot } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/** Queues recorded before slots were reserved counted RUNNING rows instead (runSlotFree): their histories replay as they were. */
const RESERVED_SLOTS_PATCH = 'reserved-run-slots';

/** How long a queue waits before it asks again for a slot under the concurrency cap: doubling from the first to the last. */
const SLOT_WAIT_FIRST_MS = 500;
const SLOT_WAIT_LAST_MS = 10_000;

export async function SessionQueue(input: SessionQueueInput): Promise<void> {
  const queued: QueuedRun[] = [...(input.queued ?? [])];
  const historyBudget = Math.min(input.historyEventsBudget ?? HISTORY_EVENTS_BUDGET, HISTORY_EVENTS_BUDGET);
  /** Run ids this execution has taken: a submission repeated (an idempotent start) is queued once. */
  const taken = new Set(queued.map((entry) => entry.execution.runId));
  let live: { runId: string; deleteAfter: boolean } | undefined;
  /** Runs cancelled while queued, on their way to their end, and runs being deleted after a rollback: the queue ends only after them. */
  const dropping: Promise<void>[] = [];

  const startRun = (entry: QueuedRun, cancelled: boolean) => {
    const options = runStartOptions({ ...entry.execution, run: { ...entry.execution.run, ...(cancelled ? { cancelledInQueue: true } : {}) } }, workflowInfo().taskQueue);
    return startChild<RunWorkflow>(RUN_WORKFLOW_TYPE, {
      ...options,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      cancellationType: ChildWorkflowCancellationType.ABANDON,
    });
  };
  /** A queued run leaves the queue: it starts only to end CANCELLED at once, so that it has its terminal event like any cancelled run. */
  const drop = (entry: QueuedRun, deleteAfter: boolean) => {
    dropping.push(
      (async () => {
        try {
          const child = await startRun(entry, true);
          await getExternalWorkflowHandle(entry.execution.runId).cancel();
          await child.result().catch(() => undefined);
        } catch (err) {
          // Started already (a repeated submission): it is not ours to cancel here.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          return;
        }
        if (deleteAfter) await deleteRun(entry.execution.runId);
      })(),
    );
  };
  const cancelLive = (deleteAfter: boolean) => {
    if (!live) return;
    live.deleteAfter ||= deleteAfter;
    // It may have ended meanwhile: nothing to cancel then.
    getExternalWorkflowHandle(live.runId).cancel().catch(() => undefined);
  };
  const submit = (entry: QueuedRun) => {
    if (taken.has(entry.execution.runId)) return;
    taken.add(entry.execution.runId);
    if (entry.strategy === 'interrupt' || entry.strategy === 'rollback') {
      // LangGraph's meaning: every run in flight in the session gives way, queued ones included.
      const rollback = entry.strategy === 'rollback';
      for (const waiting of queued.splice(0)) drop(waiting, rollback);
      cancelLive(rollback);
    }
    queued.push(entry);
  };

  setHandler(submitRunSignal, submit);
  setHandler(submitIfIdleUpdate, submit, {
    validator: (_entry: QueuedRun) => {
      if (live || queued.length > 0) throw ApplicationFailure.nonRetryable(`Session ${input.sessionId} has a run in progress.`, SESSION_BUSY);
    },
  });
  setHandler(cancelRunSignal, (runId, deleteAfter = false) => {
    const index = queued.findIndex((entry) => entry.execution.runId === runId);
    if (index >= 0) drop(queued.splice(index, 1)[0]!, deleteAfter);
    else if (live?.runId === runId) cancelLive(deleteAfter);
  });

  let slotWaitMs = SLOT_WAIT_FIRST_MS;
  for (;;) {
    const head = queued[0];
    if (!head) {
      // Drained: end once nothing more is in flight. A signal that comes with the end makes the
      // server refuse the completion, and this runs again with it queued.
      await Promise.all(dropping);
      await condition(allHandlersFinished);
      if (queued.length === 0) return;
      continue;
    }
    // The deployment's concurrency cap (MAX_CONCURRENCY): reserve a slot, or wait for one or for the head to change (cancelled, interrupted).
    const reserving = patched(RESERVED_SLOTS_PATCH);
    const slot = reserving ? await reserveRunSlot(head.execution.runId, head.execution.run.userId) : await runSlotFree(head.execution.run.userId);
    if (!slot) {
      await condition(() => queued[0] !== head, slotWaitMs);
      slotWaitMs = Math.min(slotWaitMs * 2, SLOT_WAIT_LAST_MS);
      continue;
    }
    slotWaitMs = SLOT_WAIT_FIRST_MS;
    const next = queued.shift()!;
    live = { runId: next.execution.runId, deleteAfter: false };
    try {
      const child = await startRun(next, false);
      await child.result();
    } catch {
      // A run that failed or was cancelled has ended all the same; one started already (a repeated submission) is not ours.
    }
    // Its slot is free again (a run whose row reads ended holds none either, should this never run).
    if (reserving) await releaseRunSlot(next.execution.runId);
    const ended = live;
    live = undefined;
    // Deleted beside the next run: deleting waits for Temporal, which the session need not.
    if (ended.deleteAfter) dropping.push(deleteRun(ended.runId));
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyBudget) {
      await Promise.all(dropping);
      await condition(allHandlersFinished);
      await continueAsNew<typeof SessionQueue>({ ...input, queued });
    }
  }
}
