/**
 * Keeps the run one log across operators' resets (see reset-observer.ts and EventLog.rebase).
 *
 * After a reset, the new execution has replayed the run up to the reset point; the old
 * execution's events after that point are what clients read, so the new events wait until an
 * activity has archived the old execution's whole log, then follow it and a `WorkflowReset`
 * marker. Nothing of this runs in an execution that was never reset: the condition below adds
 * no command to a history, so every history recorded before stays valid.
 */
import { CancellationScope, condition, log as workflowLogger, patched } from '@temporalio/workflow';
import type { RunActivities } from './activity-proxies.ts';
import type { EventLog } from './event-log.ts';
import { errorMessage } from './error-message.ts';
import { resetsObserved } from './reset-observer.ts';

/** Runs reset before the log was kept across resets replay as they ran (renumbered). */
const RESET_KEEPS_LOG_PATCH = 'reset-keeps-log';

/** Catches the log up after each reset, for the whole run (the run's cancellation does not stop it). */
export function followResets(log: EventLog, activities: RunActivities): void {
  void CancellationScope.nonCancellable(async () => {
    for (let handled = 0; ; ) {
      await condition(() => resetsObserved() > handled);
      handled = resetsObserved();
      if (!patched(RESET_KEEPS_LOG_PATCH)) {
        log.keepNumbering(handled);
        continue;
      }
      try {
        const base = await activities.data.carryResetBase.executeWithOptions({ summary: 'event log · carry the log of the execution that was reset' }, []);
        log.rebase(handled, base.log, { reason: base.reason, base_execution_id: base.baseExecutionId, execution_id: base.executionId });
      } catch (err) {
        // Better a log numbered as Temporal replayed it than a run that never ends.
        workflowLogger.error(`The log could not be carried across the reset; it goes on as replayed: ${errorMessage(err)}`);
        log.keepNumbering(handled);
      }
    }
  });
}

/** Waits until the log has caught up with every reset: a run never ends or moves on with events still waiting. */
export async function resetsSettled(log: EventLog): Promise<void> {
  if (log.awaitingReset) await CancellationScope.nonCancellable(() => condition(() => !log.awaitingReset));
}
