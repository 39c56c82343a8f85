/**
 * Reading one run: its output from the workflow's `state` query, or, when no worker answers,
 * from what Temporal alone knows (the execution's status, memo and search attributes). Texts the
 * run holds by reference are read back, and a run that ended outside our code (terminate,
 * timeout) says so, as its event stream does (see execution-end.ts). Given the run store, a run
 * it holds ended and whole is read from it alone (see stored-runs.ts).
 */
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { RunState, RunSummary } from '../contracts/events.ts';
import { TERMINAL_STATUSES } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE, stateQuery } from '../contracts/run-workflow-api.ts';
import { RUN_STATUS_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { tokenTotalsOf } from '../contracts/token-totals.ts';
import { engineData, textScope } from './engine-data.ts';
import { RunNotFoundError } from './errors.ts';
import { executionEnd } from './execution-end.ts';
import { readOutputEvents } from './output-events.ts';
import { queryRun } from './query-run.ts';
import { memoOf } from './run-memo.ts';
import { WorkflowRunOutput } from './run-output.ts';
import { statusOf } from './run-status.ts';
import type { RunRecord, RunStore } from '../run-store/run-store.ts';
import { storedRun } from './stored-runs.ts';
import type { StoredRun } from './stored-runs.ts';
import { recordClosedRun } from './record-closed-run.ts';

/**
 * Who a run belongs to and its coarse status, with no worker: from the run store's row when it
 * has one (who a run belongs to never changes; its status is the stored one), else from Temporal's
 * describe; undefined if unknown.
 */
export async function describeRunSummary(client: Client, runId: string, store?: RunStore): Promise<RunSummary | undefined> {
  const row = await store?.getRun(runId);
  if (row) return storedSummary(row);
  try {
    const description = await client.workflow.getHandle(runId).describe();
    return description.type === RUN_WORKFLOW_TYPE ? await refinedSummary(client, description) : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export interface RunReadOptions {
  /**
   * Read the run's events too, from the start, at most this many bytes of them (see
   * output-events.ts); default: none. A log that cannot be read in time comes cut (`events_truncated`).
   */
  eventBytes?: number;
  /** The run store: a run it speaks for is read from it, with no worker query (see stored-runs.ts). */
  store?: RunStore;
}

/** The run's current output, or undefined when no run has this id. */
export async function getRun(client: Client, runId: string, options: RunReadOptions = {}): Promise<WorkflowRunOutput | undefined> {
  const { store } = options;
  const stored = store ? await storedRun(client, store, runId, { confirmEnd: false }) : undefined;
  // The events come from the store too, without asking Temporal again where the run stands.
  if (stored?.kind === 'stored') return outputOf(client, runId, stored.row.state, options, stored);
  let state: RunState;
  try {
    state = await queryRun(client, runId, stateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    // No worker to answer (or the run has not begun): describe the execution instead.
    return describeRun(client, runId);
  }
  // The workflow's own word is final once it says the run ended; before that, Temporal may know better.
  const end = stored?.kind === 'ended-outside' ? stored.end : await executionEnd(client, runId);
  if (end && !TERMINAL_STATUSES.includes(state.status)) {
    state = { ...state, status: end.status, error: end.reason || state.error, current_step: undefined, pause_kind: undefined, paused_step_name: undefined, paused_step_index: undefined, tool_requirements: undefined };
  }
  // A closed run the store lacks whole (ended outside workflow code, or before the store): this read writes it.
  if (store && end) await recordClosedRun(client, store, runId, state, end).catch((err: unknown) => console.warn(`Run ${runId}: could not be written to the run store; the next read tries again: ${String(err)}`));
  return outputOf(client, runId, state, options);
}

async function outputOf(client: Client, runId: string, state: RunState, options: RunReadOptions, stored?: StoredRun): Promise<WorkflowRunOutput> {
  const events = options.eventBytes === undefined ? undefined : await readOutputEvents(client, runId, options.eventBytes, options.store, stored);
  return new WorkflowRunOutput(await readTexts(client, runId, state), events);
}

/** Waits for the run to end and returns its final output (status COMPLETED, ERROR or CANCELLED). */
/** How often a wait for a queued run looks at its row again. */
const QUEUED_RECHECK_MS = 5000;

export async function waitForRun(client: Client, runId: string, options: RunReadOptions = {}): Promise<WorkflowRunOutput> {
  for (;;) {
    try {
      await client.workflow.getHandle(runId).result();
      break;
    } catch (err) {
      if (err instanceof WorkflowFailedError) break;
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // Waiting in its session's queue: it has an execution once its first event is written (its row is looked at again now and then: it may be deleted meanwhile).
      const row = await options.store?.getRun(runId);
      if (row?.status !== 'PENDING') throw new RunNotFoundError(runId);
      await options.store!.waitForEvents(runId, -1, AbortSignal.timeout(QUEUED_RECHECK_MS)).catch(() => undefined);
    }
  }
  const output = await getRun(client, runId, options);
  if (!output) throw new RunNotFoundError(runId);
  return output;
}

/** A run's summary as its stored row says it. */
function storedSummary(row: RunRecord): RunSummary {
  const summary: RunSummary = { run_id: row.run_id, workflow_id: row.workflow_id, workflow_name: row.workflow_name, session_id: row.session_id, input: row.input, status: row.status, created_at: row.created_at };
  if (row.user_id !== undefined) summary.user_id = row.user_id;
  if (row.tokens !== undefined) summary.tokens = row.tokens;
  return summary;
}

/** A run's summary from a described or listed execution. */
export function summaryOf(execution: Pick<WorkflowExecutionInfo, 'workflowId' | 'memo' | 'status' | 'startTime' | 'typedSearchAttributes'>): RunSummary {
  const memo = memoOf(execution);
  const summary: RunSummary = {
    // The Temporal workflow id is our run id; `workflow_id` is the definition id, as on Agno's wire.
    run_id: execution.workflowId,
    workflow_id: memo.workflow_id,
    workflow_name: memo.workflow_name,
    session_id: memo.session_id,
    input: memo.input,
    status: statusOf(execution),
    // A run that continued as new is described by its latest execution: the memo keeps the first start.
    created_at: memo.created_at ?? Math.floor(execution.startTime.getTime() / 1000),
  };
  // An open run's own word on its status (PENDING, RUNNING, PAUSED) is finer than Temporal's "Running".
  const own = execution.typedSearchAttributes?.get(RUN_STATUS_ATTRIBUTE);
  if (summary.status === 'RUNNING' && (own === 'PENDING' || own === 'PAUSED')) summary.status = own;
  if (memo.user_id !== undefined) summary.user_id = memo.user_id;
  const tokens = tokenTotalsOf(memo.tokens);
  if (tokens) summary.tokens = tokens;
  return summary;
}

/**
 * `summaryOf`, with the status of a terminated run told apart: Temporal ending a run for its
 * history limit is an error, an operator's terminate a cancellation (see execution-end.ts).
 */
export async function refinedSummary(client: Client, execution: Parameters<typeof summaryOf>[0]): Promise<RunSummary> {
  const summary = summaryOf(execution);
  if (execution.status.name === 'TERMINATED') summary.status = (await executionEnd(client, execution.workflowId))?.status ?? summary.status;
  return summary;
}

/** The state with the texts it holds by reference read back. */
function readTexts(client: Client, runId: string, state: RunState): Promise<RunState> {
  return engineData(client).texts.expandAll(state, textScope(client, runId));
}

/** The run's output from Temporal alone: its memo, status and, once it has ended, result or failure. */
async function describeRun(client: Client, runId: string): Promise<WorkflowRunOutput | undefined> {
  const handle = client.workflow.getHandle(runId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  if (description.type !== RUN_WORKFLOW_TYPE) return undefined;
  const end = await executionEnd(client, runId);
  if (end?.status === 'COMPLETED') return new WorkflowRunOutput(await readTexts(client, runId, await handle.result()));
  let status = end?.status ?? statusOf(description);
  // Only the start events in history: no worker has picked the run up yet.
  if (status === 'RUNNING' && (description.historyLength ?? 0) <= 2) status = 'PENDING';
  const memo = memoOf(description);
  return new WorkflowRunOutput({
    ...memo,
    run_id: runId,
    status,
    error: end?.reason || undefined,
    step_results: [],
    metrics: { steps: {} },
    created_at: memo.created_at ?? Math.floor(description.startTime.getTime() / 1000),
    last_event_index: -1,
  });
}
