/**
 * What a run's workflow sends to the run store, riding in an activity's input (see
 * src/workflows/run-recorder.ts and src/activities/run-record.ts): the events of its log it has
 * not yet had written, and its row as of the last of them. An activity is scheduled only when the
 * workflow task that made these events completes, so a record holds committed state only.
 */
import type { RunEvent, RunState } from './events.ts';
import type { LogSegment } from './plan.ts';

export interface RunRecordBatch {
  /** The run (its Temporal workflow id); the events of its agents and teams carry their own `run_id`. */
  run_id: string;
  /** Consecutive events of the log (never empty); big texts are references, as in the log. */
  events: RunEvent[];
  /**
   * The run's state as the `state` query answers it, as of the last event. Absent when it is the
   * state the store was last written with (but for `last_event_index`): the row keeps its state.
   */
  state?: RunState;
  /** Orders rows of the same newest event: the workflow's clock (ms) when the record was made. */
  revision: number;
  /** Unix seconds: when the record was made (workflow time). */
  updated_at: number;
  /** The Temporal execution (its run id) that made the record. */
  execution_id?: string;
  /**
   * The archived segments of the log before `events`, while the store may lack them (the first
   * records of an execution that carried a log: continue-as-new, a retry, a reset): the writer
   * fills a gap before `events` from them.
   */
  segments?: LogSegment[];
}
