import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { DeltaPublisher } from '../../src/activities/delta-publisher.ts';
import type { ContentDeltaBatch } from '../../src/contracts/events.ts';

describe('DeltaPublisher', () => {
  it('batches deltas per interval with running offsets, in order', async () => {
    const sent: ContentDeltaBatch[] = [];
    const publisher = new DeltaPublisher({ callId: 'c', attempt: 2, intervalMs: 30, send: async (b) => void sent.push(b) });
    publisher.push('a');
    publisher.push('b');
    await delay(80);
    publisher.push('cd');
    await publisher.flush();
    assert.deepEqual(sent, [
      { callId: 'c', attempt: 2, offset: 0, text: 'ab' },
      { callId: 'c', attempt: 2, offset: 2, text: 'cd' },
    ]);
  });

  it('keeps going when a send fails, counting the failure', async () => {
    let calls = 0;
    const publisher = new DeltaPublisher({
      callId: 'c',
      attempt: 1,
      send: async () => {
        calls += 1;
        if (calls === 1) throw new Error('unavailable');
      },
    });
    publisher.push('x');
    await publisher.flush();
    publisher.push('y');
    await publisher.flush();
    assert.equal(calls, 2);
    assert.equal(publisher.failures, 1);
  });

  it('widens the interval as signals add up, bounding signals per call', async () => {
    const sent: ContentDeltaBatch[] = [];
    const publisher = new DeltaPublisher({ callId: 'c', attempt: 1, intervalMs: 5, signalsPerStep: 2, send: async (b) => void sent.push(b) });
    const until = Date.now() + 300;
    let pushed = '';
    for (let i = 0; Date.now() < until; i++) {
      const piece = `${i % 10}`;
      publisher.push(piece);
      pushed += piece;
      await delay(1);
    }
    await publisher.flush();
    // A fixed 5 ms interval would give ~60 signals in 300 ms; the growing one far fewer.
    assert.ok(sent.length < 25, `signals: ${sent.length}`);
    // Fewer signals lose nothing: the batches, in order, are exactly the text pushed, each at its offset.
    assert.equal(sent.map((b) => b.text).join(''), pushed);
    assert.deepEqual(sent.map((b) => b.offset), sent.map((_, i) => sent.slice(0, i).reduce((n, b) => n + b.text.length, 0)));
  });
});
