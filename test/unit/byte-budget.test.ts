/**
 * The process-wide byte budget of text loads: requests within it go at once, one that does not
 * fit waits for bytes given back, in the order asked, and one bigger than the whole budget goes
 * alone instead of never.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBudget } from '../../src/data-plane/byte-budget.ts';

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('a byte budget', () => {
  it('grants what fits at once and the rest in order as bytes come back', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.take(60);
    const second = budget.take(50);
    const third = budget.take(10);
    assert.equal(await settled(second), false, '60 + 50 is over 100');
    assert.equal(await settled(third), false, 'a small request does not pass one waiting before it');
    first();
    const giveSecond = await second;
    const giveThird = await third;
    giveSecond();
    giveThird();
    assert.equal(await settled(budget.take(100)), true, 'everything was given back');
  });

  it('lets a request bigger than the whole budget go alone', async () => {
    const budget = new ByteBudget(100);
    const small = await budget.take(10);
    const huge = budget.take(1_000);
    assert.equal(await settled(huge), false);
    small();
    const giveHuge = await huge;
    assert.equal(await settled(budget.take(1)), false, 'nothing else while it holds the budget');
    giveHuge();
  });

  it('counts bytes given back once, however often the release is called', async () => {
    const budget = new ByteBudget(100);
    const release = await budget.take(100);
    release();
    release();
    const a = await budget.take(100);
    assert.equal(await settled(budget.take(1)), false);
    a();
  });
});
