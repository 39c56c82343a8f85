/** The model call's publisher: each delta at once, with its offset; the answer's pieces for the log. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeltaPublisher } from '../../src/activities/delta-publisher.ts';
import type { LiveContentTemplate } from '../../src/contracts/live.ts';
import type { LiveMessage } from '../../src/live/lane.ts';
import { MemoryLane } from '../../src/live/memory-lane.ts';

const template: LiveContentTemplate = { event: 'RunContent', fields: { run_id: 'a' }, after: 4 };

describe('DeltaPublisher', () => {
  it('publishes every delta the moment it is pushed, at its offset, the first with the template', () => {
    const lane = new MemoryLane();
    const seen: LiveMessage[] = [];
    lane.follow('r', (message) => seen.push(message));
    const publisher = new DeltaPublisher({ lane, runId: 'r', callId: 'c', attempt: 2, template });
    publisher.push('Hel');
    assert.equal(seen.length, 1, 'published before push returned');
    publisher.push('');
    publisher.push('lo');
    publisher.end();
    assert.deepEqual(seen.map((m) => (m.kind === 'delta' ? [m.offset, m.text, m.attempt, m.template !== undefined] : m.kind)), [[0, 'Hel', 2, true], [3, 'lo', 2, false], 'ended']);
    assert.deepEqual(publisher.streamed('Hello'), { attempt: 2, segments: [3, 2] });
    // An answer that is not the text published keeps no pieces: readers replace the live text.
    assert.equal(publisher.streamed('Hello!'), undefined);
  });

  it('publishes nothing for a call whose workflow gave no template, and still keeps the pieces', () => {
    const lane = new MemoryLane();
    const publisher = new DeltaPublisher({ lane, runId: 'r', callId: 'c', attempt: 1, template: undefined });
    publisher.push('a');
    publisher.end();
    assert.equal(lane.health().published, 0);
    assert.deepEqual(publisher.streamed('a'), { attempt: 1, segments: [1] });
  });
});
