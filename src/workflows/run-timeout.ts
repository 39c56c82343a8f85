/**
 * A run's own time limit: a workflow timer that, when the deadline passes, cancels the scope the
 * run's steps run in, so the model or tool call in flight is cancelled and the run ends ERROR with
 * its terminal event and a message saying why. Temporal's workflow execution timeout would end
 * the execution without either, and would not survive continue-as-new; the deadline here is
 * absolute and travels in the run's input.
 *
 * The limit counts the run's own time, not a person's: while the run waits for an answer or a
 * decision, its clock stands still, and the deadline moves on by the wait when it resumes (as
 * Agno's paused runs hold no job). Otherwise a question left overnight would end its run ERROR.
 */
import { ApplicationFailure, CancellationScope, condition, isCancellation, patched, sleep } from '@temporalio/workflow';
import type { RunInput, RunTimeout } from '../contracts/plan.ts';

/**
 * The timer is a new command: asked for only by runs that have a timeout, and behind `patched`,
 * so a run with one that started on a worker from before replays as it ran there.
 */
const RUN_TIMEOUT_PATCH = 'run-timeout';

/** The run's deadline, stopped while a person is awaited. */
export class RunClock {
  private waiting = 0;
  private readonly timeout: RunTimeout | undefined;

  constructor(timeout: RunTimeout | undefined) {
    this.timeout = timeout;
  }

  get stopped(): boolean {
    return this.waiting > 0;
  }

  /** Runs `wait` (for a person) with the clock stopped; the deadline moves on by the time it took. */
  async whilePersonDecides<T>(wait: () => Promise<T>): Promise<T> {
    if (!this.timeout) return wait();
    // Date.now() is the workflow task's time: deterministic.
    const since = Date.now();
    this.waiting++;
    try {
      return await wait();
    } finally {
      this.waiting--;
      // In the run's input: a continuation after this carries the moved deadline.
      if (this.timeout.deadlineMs !== undefined) this.timeout.deadlineMs += Date.now() - since;
    }
  }
}

/** Runs `work` (the run's steps) within the run's deadline, if it has one; `clock` stops it while a person is awaited. */
export async function withinRunTimeout<T>(run: RunInput, clock: RunClock, work: () => Promise<T>): Promise<T> {
  const timeout = run.timeout;
  if (!timeout || !patched(RUN_TIMEOUT_PATCH)) return work();
  // The first execution sets it (Date.now() is the workflow task's time: deterministic); in the
  // input, so every continuation carries it.
  timeout.deadlineMs ??= Date.now() + timeout.seconds * 1000;
  const deadline = () => timeout.deadlineMs!;
  const steps = new CancellationScope();
  const timer = new CancellationScope();
  let expired = false;
  void timer
    .run(async () => {
      // Past already (a continuation after it): at once. A deadline moved by a wait: sleep again.
      for (;;) {
        await sleep(Math.max(1, deadline() - Date.now()));
        if (clock.stopped) await condition(() => !clock.stopped);
        if (Date.now() >= deadline()) return;
      }
    })
    .then(
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
