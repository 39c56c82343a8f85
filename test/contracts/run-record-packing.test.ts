import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent, RunState } from '../../src/contracts/events.ts';
import { packRunRecord, unpackRunRecord } from '../../src/contracts/run-record-packing.ts';
import type { RunRecordBatch } from '../../src/contracts/run-record.ts';

/** A record as Temporal's JSON payloads carry it: undefined fields gone. */
const asCarried = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function event(index: number, fields: Record<string, unknown>): RunEvent {
  return { event: 'RunContent', created_at: 1_700_000_000 + index, run_id: 'r1', session_id: 's1', ...fields, event_index: index } as unknown as RunEvent;
}

function roundTrip(record: RunRecordBatch): void {
  const carried = asCarried(packRunRecord(record));
  assert.deepEqual(unpackRunRecord(carried), asCarried(record));
  // Field order too: readers write the stored JSON as it comes.
  const unpacked = unpackRunRecord(carried);
  unpacked.events.forEach((e, i) => assert.deepEqual(Object.keys(e), Object.keys(asCarried(record.events[i]!))));
  if (record.state) assert.deepEqual(Object.keys(unpacked.state!), Object.keys(asCarried(record.state)));
}

test('events unpack exactly: changed, new, dropped and reordered fields, undefined ones, custom events', () => {
  const big = { step_results: Array.from({ length: 20 }, (_, i) => ({ step: i, content: `result ${i}` })) };
  roundTrip({
    run_id: 'r1',
    revision: 5,
    updated_at: 6,
    events: [
      event(7, { agent_id: 'a', content: 'Hel' }),
      event(8, { agent_id: 'a', content: 'lo' }),
      event(9, { agent_id: 'b', content: 'lo', extra: undefined }),
      event(10, { content: 'x', agent_id: 'b' }),
      { event_index: 11, event: 'CustomEvent', same: { '=': 1 }, set: ['x'], drop: null } as unknown as RunEvent,
      event(12, { ...big, metadata: { '0': 'key named 0' } }),
      event(13, { ...big, content: '' }),
      // Not the next index: kept as it is, never renumbered.
      event(20, { content: 'after a hole' }),
      event(21, { content: 'next' }),
    ],
    state: { run_id: 'r1', status: 'RUNNING', ...big, last_event_index: 13 } as unknown as RunState,
    segments: [{ key: 'k', first: 0, last: 6, sha256: 'x' } as never],
  });
});

test('a single event, and a record with no state', () => {
  roundTrip({ run_id: 'r', revision: 1, updated_at: 1, events: [event(0, { content: 'only' })] });
});

test('repeated big values are written once; consecutive chunks carry only what changed', () => {
  const big = { step_executor_runs: Array.from({ length: 30 }, (_, i) => ({ run_id: `run-${i}`, content: 'y'.repeat(40) })) };
  const events = Array.from({ length: 50 }, (_, i) => event(i, { agent_id: 'agent', agent_name: 'Agent', workflow_id: 'w', step_name: 'Research Step', content: `t${i}` }));
  events.push(event(50, { event: 'WorkflowCompleted', ...big }));
  const record: RunRecordBatch = { run_id: 'r1', revision: 1, updated_at: 1, events, state: { run_id: 'r1', ...big } as unknown as RunState };
  const packed = asCarried(packRunRecord(record));
  assert.equal(packed.shared?.length, 1);
  assert.deepEqual(Object.keys(packed.events[3]!.set!).sort(), ['content', 'created_at']);
  assert.ok(JSON.stringify(packed).length < JSON.stringify(record).length / 2, 'packed is smaller');
  roundTrip(record);
});
