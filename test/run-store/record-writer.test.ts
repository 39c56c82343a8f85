/**
 * The worker's writer of the records runs carry (src/activities/run-record.ts), on a real SQLite
 * store and a real local blob store: a record written twice changes nothing, an older row never
 * replaces a newer one, and events the store lacks before a record come from the archived
 * segments the record names.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent, RunState } from '../../src/contracts/events.ts';
import type { RunRecordBatch } from '../../src/contracts/run-record.ts';
import { RunRecordWriter, UnfillableGapError } from '../../src/activities/run-record.ts';
import { LocalBlobStore } from '../../src/data-plane/local-blob-store.ts';
import { writeSegments } from '../../src/data-plane/log-segments.ts';
import { SqliteRunStore } from '../../src/run-store/sqlite-run-store.ts';
import { storedEvents } from './support/store-holds-run.ts';
import { stepEvents } from './support/records.ts';

let dir: string;
let store: SqliteRunStore;
let blobs: LocalBlobStore;
let writer: RunRecordWriter;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'record-writer-'));
  store = new SqliteRunStore({ path: join(dir, 'run-store.sqlite') });
  blobs = new LocalBlobStore(join(dir, 'blobs'));
  writer = new RunRecordWriter(store, blobs);
});
after(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

function record(runId: string, events: RunEvent[], revision: number, status: RunState['status'] = 'RUNNING'): RunRecordBatch {
  const state: RunState = {
    run_id: runId,
    workflow_id: 'wf',
    workflow_name: 'Workflow',
    session_id: 's',
    input: 'in',
    status,
    step_results: [],
    metrics: { steps: {} },
    created_at: 1_700_000_000,
    last_event_index: events.at(-1)!.event_index,
  };
  return { run_id: runId, events, state, revision, updated_at: 1_700_000_000 + revision };
}

describe('the run record writer', () => {
  it('writes a record sent twice once, and never lets an older row replace a newer one', async () => {
    const older = record('twice', stepEvents('twice', 0, 3), 1);
    const newer = record('twice', stepEvents('twice', 0, 5), 2, 'COMPLETED');
    await writer.write(older);
    await writer.write(newer);
    await writer.write(older);
    await writer.write(newer);
    assert.deepEqual((await storedEvents(store, 'twice')).map((event) => event.event_index), [0, 1, 2, 3, 4]);
    const row = await store.getRun('twice');
    assert.equal(row?.status, 'COMPLETED');
    assert.equal(row?.last_event_index, 4);
  });

  it('moves the row to the newest event of a record that carries no state, keeping the stored state', async () => {
    const first = record('stateless', stepEvents('stateless', 0, 2), 1);
    first.state!.content = 'so far';
    await writer.write(first);
    const { state: _unchanged, ...eventsOnly } = record('stateless', stepEvents('stateless', 2, 2), 2);
    await writer.write(eventsOnly);
    const row = await store.getRun('stateless');
    assert.equal(row?.last_event_index, 3);
    assert.equal(row?.state.last_event_index, 3);
    assert.equal(row?.state.content, 'so far');
    assert.equal(row?.revision, 2);
    // Written again late (a retried activity), it moves nothing back.
    await writer.write(record('stateless', stepEvents('stateless', 0, 1), 0));
    assert.equal((await store.getRun('stateless'))?.last_event_index, 3);
  });

  it('fills a gap before a record from the archived segments it names', async () => {
    const runId = 'gap';
    const earlier = stepEvents(runId, 0, 10);
    await store.appendEvents(runId, earlier.slice(0, 3));
    // Two segments of the earlier executions' log, as continue-as-new archives it.
    const segments = await writeSegments(blobs, { namespace: 'default', workflowId: runId }, earlier, 600);
    assert.ok(segments.length >= 2, `the log is archived in several segments (${segments.length})`);
    await writer.write({ ...record(runId, stepEvents(runId, 10, 3), 1), segments });
    assert.deepEqual(await storedEvents(store, runId), [...earlier, ...stepEvents(runId, 10, 3)]);
  });

  it('refuses, naming the missing events, a gap no segment fills', async () => {
    await store.appendEvents('hole', stepEvents('hole', 0, 2));
    await assert.rejects(writer.write(record('hole', stepEvents('hole', 5, 1), 1)), (err: Error) => err instanceof UnfillableGapError && /lacks events 2\.\.4/.test(err.message));
    assert.equal(await store.lastEventIndex('hole'), 1, 'nothing after the hole is stored');
  });
});
