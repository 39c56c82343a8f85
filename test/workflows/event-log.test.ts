import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog } from '../../src/workflows/event-log.ts';

const step = (index: number) => ({ step_id: `s${index}`, step_name: `S${index}`, step_index: index });

function newLog() {
  const log = new EventLog({ run_id: 'r1', workflow_id: 'w', workflow_name: 'W', session_id: 's' });
  log.openStream('call-1', 'RunContent', { ...step(0), run_id: 'a1', workflow_run_id: 'r1', agent_id: 'a', agent_name: 'A' });
  return log;
}

const contents = (log: EventLog) => log.after(-1, 1000).filter((e) => e.event === 'RunContent').map((e) => e.content);

describe('EventLog', () => {
  it('numbers events from 0 without gaps and pages with after/limit', () => {
    const log = newLog();
    for (let i = 0; i < 5; i++) log.emit('StepStarted', step(i));
    assert.deepEqual(log.after(-1, 100).map((e) => e.event_index), [0, 1, 2, 3, 4]);
    assert.deepEqual(log.after(1, 2).map((e) => e.event_index), [2, 3]);
    assert.deepEqual(log.after(4, 10), []);
    assert.equal(log.lastIndex, 4);
  });

  it('drops a re-sent batch and repeated text of a retried attempt', () => {
    const log = newLog();
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 0, text: 'Hel' });
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 0, text: 'Hel' }); // re-sent
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 3, text: 'lo w' });
    // Attempt 2 starts over; only text beyond what the log has is new.
    log.acceptDelta({ callId: 'call-1', attempt: 2, offset: 0, text: 'Hello' });
    log.acceptDelta({ callId: 'call-1', attempt: 2, offset: 5, text: ' world' });
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 7, text: 'late' }); // stale attempt
    log.closeStream('call-1', { content: 'Hello world' });
    assert.deepEqual(contents(log), ['Hel', 'lo w', 'orld']);
    assert.equal(contents(log).join(''), 'Hello world');
  });

  it('fills what the deltas missed from the final content, and ignores deltas after the end', () => {
    const log = newLog();
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 0, text: 'Hello' });
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 8, text: 'ld' }); // a batch went missing before this
    log.closeStream('call-1', { content: 'Hello world' });
    log.acceptDelta({ callId: 'call-1', attempt: 1, offset: 11, text: '!' });
    assert.deepEqual(contents(log), ['Hello', ' world']);
    assert.equal(log.after(-1, 100).findLast((e) => e.event === 'RunContent')?.agent_name, 'A');
  });

  it('appends a call’s reasoning before its text, in the pieces it streamed, as chunks with empty content', () => {
    const log = newLog();
    log.closeStream('call-1', { content: 'Hi!', streamed: { attempt: 2, segments: [2, 1] }, reasoning: 'Greet back.', reasoningSegments: [6, 5] });
    const chunks = log.after(-1, 100).map((event) => {
      const chunk = event as typeof event & { content: string; reasoning_content: string; model_call_id: string; model_call_attempt: number };
      return [chunk.content, chunk.reasoning_content, chunk.model_call_id, chunk.model_call_attempt];
    });
    assert.deepEqual(chunks, [
      ['', 'Greet ', 'call-1', 2],
      ['', 'back.', 'call-1', 2],
      ['Hi', '', 'call-1', 2],
      ['!', '', 'call-1', 2],
    ]);
  });
});
