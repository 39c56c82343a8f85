/**
 * A run's row as both databases hold it: the columns lists filter and sort on, beside the run's
 * state as JSON text. Text, not PostgreSQL's jsonb: events and states carry blob references,
 * which hold U+0000, and jsonb refuses that character; the store never looks inside the JSON.
 */
import type { RunStatus, RunSummary } from '../contracts/events.ts';
import type { RunRecord, StoredRunInput } from './run-store.ts';

/** The columns written by `putRun`, in the order of `runValues`. */
export const RUN_COLUMNS = [
  'run_id',
  'workflow_id',
  'workflow_name',
  'session_id',
  'user_id',
  'input',
  'status',
  'created_at',
  'updated_at',
  'state',
  'last_event_index',
  'revision',
  'tokens',
  'metadata',
  'execution_id',
] as const;

/** The columns a listing reads, with `seq`: the order runs were first stored in. */
export const SUMMARY_COLUMNS = 'seq, run_id, workflow_id, workflow_name, session_id, user_id, input, status, created_at, tokens';

export function runValues(record: RunRecord): (string | number | null)[] {
  return [
    record.run_id,
    record.workflow_id,
    record.workflow_name,
    record.session_id,
    record.user_id ?? null,
    record.input,
    record.status,
    record.created_at,
    record.updated_at,
    JSON.stringify(record.state),
    record.last_event_index,
    record.revision,
    record.tokens ? JSON.stringify(record.tokens) : null,
    record.metadata ? JSON.stringify(record.metadata) : null,
    record.execution_id ?? null,
  ];
}

/** A row as a driver returns it (PostgreSQL's bigint comes as a string). */
export type RunRow = Record<string, unknown>;

export function recordOf(row: RunRow): RunRecord {
  const record: RunRecord = {
    ...summaryOf(row),
    updated_at: Number(row.updated_at),
    state: JSON.parse(String(row.state)),
    last_event_index: Number(row.last_event_index),
    revision: Number(row.revision),
  };
  if (row.metadata !== null && row.metadata !== undefined) record.metadata = JSON.parse(String(row.metadata));
  if (row.execution_id !== null && row.execution_id !== undefined) record.execution_id = String(row.execution_id);
  return record;
}

export function summaryOf(row: RunRow): RunSummary {
  const summary: RunSummary = {
    run_id: String(row.run_id),
    workflow_id: String(row.workflow_id),
    workflow_name: String(row.workflow_name),
    session_id: String(row.session_id),
    input: String(row.input),
    status: row.status as RunStatus,
    created_at: Number(row.created_at),
  };
  if (row.user_id !== null && row.user_id !== undefined) summary.user_id = String(row.user_id);
  if (row.tokens !== null && row.tokens !== undefined) summary.tokens = JSON.parse(String(row.tokens));
  return summary;
}

/** A `run_inputs` row as `StoredRunInput` (both databases read it the same way). */
export function storedRunInputOf(row: Record<string, unknown>): StoredRunInput {
  const input: StoredRunInput = { run: JSON.parse(String(row.body)) as StoredRunInput['run'] };
  if (row.request_hash !== null && row.request_hash !== undefined) input.requestHash = String(row.request_hash);
  return input;
}
