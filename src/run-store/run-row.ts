/** A run's row as its state says it: what every writer of the run store puts. */
import type { RunState } from '../contracts/events.ts';
import { inputExcerpt } from '../contracts/text-refs.ts';
import { runTokenTotals } from '../contracts/token-totals.ts';
import type { RunRecord } from './run-store.ts';

/** `revision` and `updated_at` (Unix seconds) as `RunRecord` has them; `executionId`: the Temporal execution that wrote it, if one did. */
export function runRowOf(state: RunState, revision: number, updatedAt: number, executionId?: string): RunRecord {
  const row: RunRecord = {
    run_id: state.run_id,
    workflow_id: state.workflow_id,
    workflow_name: state.workflow_name,
    session_id: state.session_id,
    // Lists show an excerpt (a big input is a reference into the blob store); the state keeps it whole.
    input: inputExcerpt(state.input),
    status: state.status,
    created_at: state.created_at,
    updated_at: updatedAt,
    state,
    last_event_index: state.last_event_index,
    revision,
    tokens: runTokenTotals(state.metrics),
  };
  if (state.user_id !== undefined) row.user_id = state.user_id;
  if (state.metadata !== undefined) row.metadata = state.metadata;
  if (executionId !== undefined) row.execution_id = executionId;
  return row;
}
