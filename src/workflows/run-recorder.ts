/**
 * Brings the run's committed events and row to the run store (see docs/adr/0012-run-store-writes.md).
 *
 * Events ride with the next activity the run schedules: an activity is scheduled only when the
 * workflow task that made them completes, so what it carries is committed (a query, by contrast,
 * may answer from a task that then times out). Each record holds every event after the newest
 * one the store is known to hold (an activity that carried it completed), so a record never
 * leaves a gap whatever order activities in flight finish in, and the store's writes by
 * (run, index) make a record sent twice harmless. Where the run waits with no activity to
 * schedule (a person's answer, a held run's decision, a child workflow, its end), `flush`
 * schedules a small `recordRun` activity that carries only the record.
 *
 * Everything here follows from the history (the log, the state, which activities completed),
 * so a replay makes the same records.
 */
import { condition, isCancellation, log as workflowLogger, patched, workflowInfo } from '@temporalio/workflow';
import type { RunState } from '../contracts/events.ts';
import type { RunRecordBatch } from '../contracts/run-record.ts';
import type { EventLog } from './event-log.ts';

/**
 * Runs recorded before the run store schedule no `recordRun`: asking `patched` only where one is
 * about to be scheduled keeps each such history replaying as it ran. Records riding in other
 * activities' inputs add no command, so they need no patch.
 */
const RECORD_RUN_PATCH = 'run-store-record-run';

export class RunRecorder {
  private readonly log: EventLog;
  private readonly snapshot: () => RunState;
  /** Newest index the store is known to hold. */
  private stored = -1;
  /** Newest index sent in a record (written or in flight). */
  private sent = -1;
  /** Whether the store may lack the log before this execution's events: records carry its segments. */
  private segmentsNeeded = false;
  /** The log's resets caught up with when this recorder last started over. */
  private resets = -1;
  /** The state (see `stateKey`) of the newest record written with one, and of the newest sent with one. */
  private stateWritten: string | undefined;
  private stateSent: string | undefined;

  /** `snapshot`: the run's state as the `state` query answers it. */
  constructor(log: EventLog, snapshot: () => RunState) {
    this.log = log;
    this.snapshot = snapshot;
    this.startOver();
  }

  /** Whether events are waiting to be sent. */
  get pending(): boolean {
    this.followRebase();
    return !this.log.awaitingReset && this.log.lastIndex > this.sent;
  }

  /** The record the next activity carries, or undefined when nothing is waiting. */
  take(): RunRecordBatch | undefined {
    if (!this.pending) return undefined;
    const events = this.log.after(this.stored, Number.MAX_SAFE_INTEGER);
    const now = Date.now();
    const state = this.snapshot();
    const record: RunRecordBatch = { run_id: state.run_id, events, revision: now, updated_at: Math.floor(now / 1000), execution_id: workflowInfo().runId };
    // Most calls of a step change no state but the newest index: such a record carries events only,
    // unless a record with another state may still be in flight (it could be written after this one).
    const key = stateKey(state);
    if (key !== this.stateWritten || key !== this.stateSent) record.state = state;
    this.stateSent = key;
    if (this.segmentsNeeded && this.log.archivedSegments.length > 0) record.segments = [...this.log.archivedSegments];
    this.sent = this.log.lastIndex;
    return record;
  }

  /** The activity that carried `record` completed: the record was written before its own work. */
  written(record: RunRecordBatch): void {
    // A record of the log before a reset's rebase says nothing of the rebuilt log.
    if (this.followRebase() || record.events[0]!.event_index > this.stored + 1) return;
    this.stored = Math.max(this.stored, record.events.at(-1)!.event_index);
    this.segmentsNeeded = false;
    if (record.state) this.stateWritten = stateKey(record.state);
  }

  /** The activity that carried a record failed or was cancelled: what it carried goes again with the next. */
  notWritten(): void {
    this.sent = this.stored;
  }

  /**
   * Has the record written now, when events are waiting: before the run waits with no activity
   * to carry them, and before it ends. `schedule` runs the `recordRun` activity, which carries
   * the record (see `withRecords` in activity-proxies.ts). A failure is logged, never the run's.
   */
  async flush(why: string, schedule: (summary: string) => Promise<void>): Promise<void> {
    if (!this.pending || !patched(RECORD_RUN_PATCH)) return;
    try {
      await schedule(`run store · record events up to ${this.log.lastIndex} (${why})`);
    } catch (err) {
      if (isCancellation(err)) throw err;
      workflowLogger.warn(`The run store did not get the run's events ${why}; the next record carries them.`, { error: String(err) });
    }
  }

  /**
   * Runs for the run's life: whenever a workflow task leaves events unsent, `flush`es them. That is
   * a task that made events and scheduled no activity to carry them: one branch of a Parallel step
   * ended while the others still run, say. A condition is evaluated only once the task's code has
   * done all it can (the SDK checks conditions after the activation's microtasks drain), so a task
   * that schedules an activity has had it take the record by then, and costs nothing here.
   */
  async writeWhenIdle(flush: (why: string) => Promise<void>): Promise<void> {
    // The newest event a flush was tried for: the next try waits for a newer one. A flush may send
    // nothing (a history recorded before the store replays with no `recordRun` there), and waiting
    // on `pending` alone would then wake again at once, forever, inside one workflow task.
    let tried = -1;
    try {
      for (;;) {
        await condition(() => this.pending && this.log.lastIndex > tried);
        tried = this.log.lastIndex;
        await flush('made while nothing else was scheduled');
      }
    } catch (err) {
      // The run was cancelled: its end writes what is left.
      if (!isCancellation(err)) throw err;
    }
  }

  /** Starts over when the log was rebuilt by a reset (see EventLog.rebase); true when it did. */
  private followRebase(): boolean {
    if (this.log.resetsCaughtUp === this.resets) return false;
    this.startOver();
    return true;
  }

  /** The store is assumed to hold what earlier executions archived; records carry the segments in case it does not. */
  private startOver(): void {
    this.resets = this.log.resetsCaughtUp;
    this.stored = this.sent = this.log.firstHeldIndex - 1;
    this.segmentsNeeded = this.stored >= 0;
    this.stateWritten = this.stateSent = undefined;
  }
}

/** The state as records compare it: all of it but the newest index, which every record moves. */
function stateKey(state: RunState): string {
  return JSON.stringify({ ...state, last_event_index: undefined });
}
