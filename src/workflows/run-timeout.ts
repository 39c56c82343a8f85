/**
 * A run's own time limit: a workflow timer that, when the deadline passes, cancels the scope the
 * run's steps run in, so the model or tool call in flight is cancelled and the run ends ERROR with
 * its terminal event and a message saying why. Temporal's workflow execution timeout would end
 * the execution without either, and would not survive continue-as-new; the deadline here is
 * absolute and travels in the run's input.
 */
import { ApplicationFailure, CancellationScope, isCancellation, patched, sleep } from '@temporalio/workflow';
import type { RunInput } from '../contracts/plan.ts';

/**
 * The timer is a new command: asked for only by runs that have a timeout, and behind `patched`,
 * so a run with one that started on a worker from before replays as it ran there.
 */
const RUN_TIMEOUT_PATCH = 'run-timeout';

/** Runs `work` (the run's steps) within the run's deadline, if it has one. */
export async function withinRunTimeout<T>(run: RunInput, work: () => Promise<T>): Promise<T> {
  const timeout = run.timeout;
  if (!timeout || !patched(RUN_TIMEOUT_PATCH)) return work();
  const steps = new CancellationScope();
  const timer = new CancellationScope();
  let expired = false;
  // Date.now() is the workflow task's time: deterministic. Past already (a continuation after it): at once.
  void timer.run(() => sleep(Math.max(1, timeout.deadlineMs - Date.now()))).then(
    () => {
      expired = true;
      steps.cancel();
    },
    () => undefined,
  );
  try {
    return await steps.run(work);
  } catch (err) {
    if (expired && isCancellation(err)) throw ApplicationFailure.nonRetryable(`Run exceeded its timeout of ${timeout.seconds} s.`, 'RunTimedOut');
    throw err;
  } finally {
    timer.cancel();
  }
}
