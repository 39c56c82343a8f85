/**
 * A step named Flaky that fails while its switch says so: with `onError: 'pause'` and no
 * retries, its run is held (PAUSED) after the failure until someone retries it, which the tests
 * of retrying held runs need.
 */
import { Step } from '../../src/definitions/step.ts';

export function makeFlakyStep(): { step: Step; flaky: { failing: boolean } } {
  const flaky = { failing: true };
  const step = new Step({
    name: 'Flaky',
    onError: 'pause',
    retries: 0,
    executor: () => {
      if (flaky.failing) throw new Error('flaky step failed');
      return 'flaky step done';
    },
  });
  return { step, flaky };
}
