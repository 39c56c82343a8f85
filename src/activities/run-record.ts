/**
 * The worker's side of the run store's writes (see src/workflows/run-recorder.ts): an activity
 * whose input carries a `record` writes it before its own work, `putRun` then `appendEvents`, so a
 * completed activity means a written record. The store keeps each (run, index) once and a run's
 * row only moves forward, so a retried activity, a replayed run or a crashed worker writes each
 * event once. A store that is down fails the activity, and Temporal retries it: the run waits for
 * the store.
 */
import { log } from '@temporalio/activity';
import type { RunRecordBatch } from '../contracts/run-record.ts';
import { type RecordCarrier, unpackRunRecord } from '../contracts/run-record-packing.ts';
import type { BlobStore } from '../data-plane/blob-store.ts';
import { LostLogSegmentError, readSegment } from '../data-plane/log-segments.ts';
import { EventGapError } from '../run-store/run-store.ts';
import type { RunRecord, RunStore } from '../run-store/run-store.ts';
import { runRowOf } from '../run-store/run-row.ts';

/** Events a record needed that neither the store nor the record's segments hold. */
export class UnfillableGapError extends Error {
  constructor(runId: string, from: number, to: number) {
    super(`Run ${runId}: the run store lacks events ${from}..${to} and the record names no archived segment holding them.`);
    this.name = 'UnfillableGapError';
  }
}

export class RunRecordWriter {
  private readonly store: RunStore;
  private readonly blobs: BlobStore;

  constructor(store: RunStore, blobs: BlobStore) {
    this.store = store;
    this.blobs = blobs;
  }

  async write(record: RunRecordBatch): Promise<void> {
    const runId = record.run_id;
    // The row first: a reader that sees an event (WorkflowPaused, say) finds the run's status saying
    // the same, never an older one; one that reads the row first waits a moment for its events.
    const row = record.state ? runRowOf(record.state, record.revision, record.updated_at, record.execution_id) : await this.movedRow(record);
    if (row) await this.store.putRun(row);
    try {
      await this.store.appendEvents(runId, record.events);
    } catch (err) {
      if (!(err instanceof EventGapError)) throw err;
      await this.fillGap(runId, record);
      await this.store.appendEvents(runId, record.events);
    }
  }

  /**
   * The stored row moved to the record's newest event, keeping its state: a record carries no
   * state when the run's is the one last written (see RunRecorder.take). A row already newer stays.
   */
  private async movedRow(record: RunRecordBatch): Promise<RunRecord | undefined> {
    const stored = await this.store.getRun(record.run_id);
    const last = record.events.at(-1)!.event_index;
    // No row (the run was deleted meanwhile): the next record with a state puts it.
    if (!stored || stored.last_event_index >= last) return undefined;
    const moved: RunRecord = { ...stored, state: { ...stored.state, last_event_index: last }, last_event_index: last, revision: record.revision, updated_at: record.updated_at };
    if (record.execution_id !== undefined) moved.execution_id = record.execution_id;
    return moved;
  }

  /**
   * The store lacks events before the record's (a continue-as-new, a retry or a reset whose
   * earlier execution's last events never reached it): they are in the archived segments.
   */
  private async fillGap(runId: string, record: RunRecordBatch): Promise<void> {
    const first = record.events[0]!.event_index;
    let stored = await this.store.lastEventIndex(runId);
    for (const segment of record.segments ?? []) {
      if (segment.last <= stored || segment.first > stored + 1 || segment.first >= first) continue;
      const events = (await readSegment(this.blobs, segment)).filter((event) => event.event_index > stored && event.event_index < first);
      await this.store.appendEvents(runId, events);
      stored = Math.max(stored, events.at(-1)?.event_index ?? stored);
    }
    if (stored + 1 < first) throw new UnfillableGapError(runId, stored + 1, first - 1);
  }
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/**
 * Activities that write the record their input carries before their own work, and see their
 * input without it. A gap nothing can fill is logged, not the activity's failure: a model or
 * tool call never fails for the read model (the run's readers fall back to Temporal).
 */
export function withRunRecords<T extends Record<string, AnyActivity>>(activities: T, writer: RunRecordWriter): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      const [input, ...rest] = args as unknown[];
      if (typeof input !== 'object' || input === null || !('record' in input)) return activity(...args);
      const { record, ...own } = input as RecordCarrier;
      if (record) await writeLogged(writer, unpackRunRecord(record));
      return activity(...([own, ...rest] as never[]));
    };
  }
  return wrapped as T;
}

async function writeLogged(writer: RunRecordWriter, record: RunRecordBatch): Promise<void> {
  try {
    await writer.write(record);
  } catch (err) {
    // A segment gone from the blob store does not come back: retrying would only wait forever.
    if (!(err instanceof UnfillableGapError || err instanceof LostLogSegmentError)) throw err;
    log.error(err.message);
  }
}

/** The activity a run schedules when it waits or ends with events no other activity carries: it only writes them. */
export function createRecordRun() {
  return async function recordRun(_input: RecordCarrier): Promise<void> {};
}
