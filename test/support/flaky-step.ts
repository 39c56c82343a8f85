/**
 * A step named Flaky that fails while its switch says so. By default (`onError: 'pause'`, no
 * retries) its run is held (PAUSED) after the failure until someone retries it, which the tests
 * of retrying held runs need; with `onError: 'fail'` the run ends ERROR, to be retried from it.
 */
import { Step } from '../../src/definitions/step.ts';
import type { StepErrorPolicy } from '../../src/contracts/plan.ts';

export function makeFlakyStep(options: { onError?: Extract<StepErrorPolicy, 'pause' | 'fail'> } = {}): { step: Step; flaky: { failing: boolean } } {
  const flaky = { failing: true };
  const step = new Step({
    name: 'Flaky',
    onError: options.onError ?? 'pause',
    retries: 0,
    executor: () => {
      if (flaky.failing) throw new Error('flaky step failed');
      return 'flaky step done';
    },
  });
  return { step, flaky };
}
