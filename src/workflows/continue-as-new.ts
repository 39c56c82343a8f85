/**
 * Continue-as-new: a long run (a Loop of thousands of iterations, an agent of hundreds of turns)
 * moves to a fresh Temporal execution before its history grows big, carrying where it stands
 * (see `RunContinuation` in src/contracts/plan.ts). The workflow id, which is the run id, stays;
 * the event log goes on at the next index, its held events archived to the blob store first by
 * an activity. Readers, cancel, retry and human input see one run.
 *
 * Runs continue only at safe points, where no activity is in flight: between top-level steps,
 * between the iterations of a top-level Loop, between the turns of an agent that is a top-level
 * step. Each budget below is checked there, so one execution stays within about one step,
 * iteration or turn of it.
 */
import { makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import type { HistoryBudget, RunContinuation, RunInput } from '../contracts/plan.ts';
import type { RunState } from '../contracts/events.ts';
import type { RunActivities } from './activity-proxies.ts';
import type { EventLog } from './event-log.ts';
import { resetsSettled } from './reset-log.ts';

/** Temporal's own limits are 51,200 events and 50 MB; an execution moves on far before them. */
export const HISTORY_EVENTS_BUDGET = 8_000;
export const HISTORY_BYTES_BUDGET = 1_500_000;
/** Events held in workflow memory (they are answered to readers from there). */
export const HELD_EVENTS_BUDGET = 10_000;
export const HELD_BYTES_BUDGET = 8 * 1024 * 1024;

/**
 * Runs recorded before continue-as-new never reached a budget; asking `patched` only once one is
 * reached keeps every such history replaying as it ran, while a run that reaches it records the
 * marker and moves on.
 */
const CONTINUE_AS_NEW_PATCH = 'continue-as-new';

/** Whether the run should continue as new at this safe point; `budget`: the run's own, smaller budgets. */
export function continueAsNewDue(log: EventLog, budget: HistoryBudget = {}): boolean {
  const info = workflowInfo();
  const held = log.held;
  const due =
    info.continueAsNewSuggested ||
    info.historyLength >= Math.min(budget.events ?? Infinity, HISTORY_EVENTS_BUDGET) ||
    info.historySize >= Math.min(budget.bytes ?? Infinity, HISTORY_BYTES_BUDGET) ||
    held.events >= HELD_EVENTS_BUDGET ||
    held.bytes >= HELD_BYTES_BUDGET;
  return due && patched(CONTINUE_AS_NEW_PATCH);
}

/** Archives the held events, then continues as new from `position` (never returns). */
export async function continueAsNewFrom(run: RunInput, log: EventLog, activities: RunActivities, position: Omit<RunContinuation, 'log'>): Promise<never> {
  // Right after a reset, the log waits for the reset execution's log; the next execution carries both.
  await resetsSettled(log);
  const events = log.heldEvents();
  const archived =
    events.length === 0
      ? []
      : await activities.data.archiveEvents.executeWithOptions({ summary: `event log · archive events ${events[0]!.event_index}–${events.at(-1)!.event_index}` }, [{ events }]);
  // What a retry carried is in the log and the step results now; an earlier continuation is replaced.
  const { resume: _retry, continued: _previous, ...input } = run;
  const info = workflowInfo();
  const next = makeContinueAsNewFunc<(input: RunInput) => Promise<RunState>>({
    // Lists and the Web UI describe the run by its memo and search attributes: the new execution keeps them.
    memo: { ...info.memo, created_at: position.createdAt },
    typedSearchAttributes: info.typedSearchAttributes,
  });
  return next({ ...input, continued: { ...position, log: log.carry(archived) } });
}
