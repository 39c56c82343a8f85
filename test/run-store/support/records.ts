/** Events and run records for run store tests: small, valid, and told apart by their fields. */
import type { RunEventOf, RunState, RunStatus } from '../../../src/contracts/events.ts';
import type { TokenTotals } from '../../../src/contracts/token-totals.ts';
import type { RunRecord } from '../../../src/run-store/run-store.ts';

/** Event `index` of a run: a step's start, its name telling the step. */
export function stepEvent(runId: string, index: number, stepName = `step ${index}`): RunEventOf<'StepStarted'> {
  return { event: 'StepStarted', event_index: index, created_at: 1_700_000_000 + index, run_id: runId, workflow_id: 'wf', workflow_name: 'Workflow', session_id: 's', step_id: `id-${index}`, step_name: stepName, step_index: index };
}

export function stepEvents(runId: string, from: number, count: number): RunEventOf<'StepStarted'>[] {
  return Array.from({ length: count }, (_, i) => stepEvent(runId, from + i));
}

export interface RecordFields {
  workflow_id?: string;
  session_id?: string;
  user_id?: string;
  input?: string;
  status?: RunStatus;
  created_at?: number;
  last_event_index?: number;
  revision?: number;
  tokens?: TokenTotals;
  content?: string;
}

export function runRecord(runId: string, fields: RecordFields = {}): RunRecord {
  const base = {
    run_id: runId,
    workflow_id: fields.workflow_id ?? 'wf',
    workflow_name: `Workflow ${fields.workflow_id ?? 'wf'}`,
    session_id: fields.session_id ?? '',
    input: fields.input ?? `input of ${runId}`,
    status: fields.status ?? 'RUNNING',
    created_at: fields.created_at ?? 1_700_000_000,
  };
  const state: RunState = { ...base, step_results: [], metrics: { steps: {} }, last_event_index: fields.last_event_index ?? -1, ...(fields.content !== undefined ? { content: fields.content } : {}) };
  if (fields.user_id !== undefined) state.user_id = fields.user_id;
  const record: RunRecord = { ...base, updated_at: base.created_at + 1, state, last_event_index: fields.last_event_index ?? -1, revision: fields.revision ?? 0 };
  if (fields.user_id !== undefined) record.user_id = fields.user_id;
  if (fields.tokens) record.tokens = fields.tokens;
  return record;
}

export function tokens(input: number, output: number, model?: string): TokenTotals {
  const totals: TokenTotals = { input_tokens: input, output_tokens: output, total_tokens: input + output };
  if (model) totals.details = { model: [{ id: model, provider: 'OpenAI', input_tokens: input, output_tokens: output, total_tokens: input + output }] };
  return totals;
}
