/**
 * Starting a run: one Temporal execution whose workflow id is the run id. With an idempotency
 * key the run id is derived from the key, so a repeated start finds the run it already made
 * (docs/adr/0003-idempotency-by-run-id.md).
 */
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { ActivityTimeouts, HistoryBudget, RunInput, WorkflowPlan } from '../contracts/plan.ts';
import { engineData } from './engine-data.ts';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { MultitaskStrategy } from '../contracts/multitask-strategies.ts';
import { InvalidRunRequestError, RunConflictError, RunNotFoundError } from './errors.ts';
import { submitToSessionQueue } from './session-queue.ts';
import { getRun } from './read-run.ts';
import { startRunExecution } from './run-execution.ts';
import { memoOf, runMemo } from './run-memo.ts';
import { WorkflowRunOutput } from './run-output.ts';
import type { RunState } from '../contracts/events.ts';
import { runRowOf } from '../run-store/run-row.ts';
import type { RunStore } from '../run-store/run-store.ts';

export interface RunOptions {
  input: string;
  sessionId?: string;
  userId?: string;
  /** Run id to use (it becomes the Temporal workflow id); default a new UUID. */
  runId?: string;
  /**
   * Makes the start idempotent: the same key (per workflow definition and user) always names
   * the same run, and starting it again returns that run. With a different request it is a `RunConflictError`.
   */
  idempotencyKey?: string;
  additionalData?: Record<string, unknown>;
  /** Kept with the run and shown on its output and its WorkflowCompleted event (Agno's `metadata`). */
  metadata?: Record<string, unknown>;
  timeouts?: ActivityTimeouts;
  /** Longest the run may take, retries of it excluded (Temporal's workflow execution timeout); default none. */
  executionTimeoutMs?: number;
  /** Longest the run may take before it ends ERROR with its terminal event (each retry or fork gets as long again); default none. */
  timeoutSeconds?: number;
  /** Temporal's priority key of the run (1 first … 5 last), which its activities inherit; default Temporal's (3). Retries and forks keep it. */
  priority?: number;
  /** Smaller history budgets per execution: the run continues as new sooner. */
  historyBudget?: HistoryBudget;
  /** The run store: the new run's row is put there at once (PENDING), so reads of it need no worker. */
  store?: RunStore;
  /**
   * What the run does when its session (`sessionId`, when given) has a live run: see
   * `MultitaskStrategy`. Default `concurrent`: it starts at once (the API's default is `enqueue`).
   */
  multitaskStrategy?: MultitaskStrategy;
}

export interface StartedRun {
  output: WorkflowRunOutput;
  /** False when an idempotent start found the run already there. */
  created: boolean;
}

/** Starts a run; with an idempotency key, returns the run the key already names if there is one. */
export async function startRun(client: Client, taskQueue: string, plan: WorkflowPlan, options: RunOptions): Promise<StartedRun> {
  if (typeof options?.input !== 'string') throw new InvalidRunRequestError('input must be a string.');
  const definitionId = plan.id;
  // Metadata joins the hash only when given, so keys used before it was kept still name their runs.
  const metadata = options.metadata !== undefined ? [options.metadata] : [];
  const requestHash = hashOf([definitionId, options.input, options.sessionId ?? null, options.userId ?? null, options.additionalData ?? null, ...metadata]);
  const runId = options.idempotencyKey ? idempotentRunId(definitionId, options.userId, options.idempotencyKey) : (options.runId ?? randomUUID());
  const run: RunInput = { plan, input: options.input, sessionId: options.sessionId ?? randomUUID() };
  if (options.userId !== undefined) run.userId = options.userId;
  if (options.additionalData !== undefined) run.additionalData = options.additionalData;
  if (options.metadata !== undefined) run.metadata = options.metadata;
  if (options.timeouts !== undefined) run.timeouts = options.timeouts;
  if (options.historyBudget !== undefined) run.historyBudget = options.historyBudget;
  if (options.timeoutSeconds !== undefined) run.timeout = { seconds: options.timeoutSeconds };
  const memo = runMemo(run, requestHash);
  // A big input is stored beside the run (under its id, just before it starts), which carries a reference.
  const stored: RunInput = { ...run, input: await engineData(client).texts.keep(run.input, { namespace: client.options.namespace, workflowId: runId, producer: 'input' }) };
  const execution = { runId, run: stored, memo, reusePolicy: 'REJECT_DUPLICATE' as const, executionTimeoutMs: options.executionTimeoutMs, priority: options.priority };
  const strategy = options.sessionId !== undefined ? (options.multitaskStrategy ?? 'concurrent') : 'concurrent';
  const existing = () => existingRun(client, runId, requestHash, options);
  try {
    if (strategy === 'concurrent') {
      // A run id names one run forever, even after it closed: that is what makes keys idempotent.
      await startRunExecution(client, taskQueue, execution);
    } else {
      // A queued run has no execution yet: a repeated key finds its row (or its execution, once it started).
      const found = options.idempotencyKey ? await existing() : undefined;
      if (found) return found;
      await submitToSessionQueue(client, taskQueue, { execution, strategy }, options.store);
    }
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const found = await existing();
    if (!found) throw new RunNotFoundError(runId);
    return found;
  }
  const { request_hash: _hash, ...described } = memo;
  const state: RunState = {
    ...described,
    input: stored.input,
    run_id: runId,
    status: 'PENDING',
    step_results: [],
    metrics: { steps: {} },
    created_at: Math.floor(Date.now() / 1000),
    last_event_index: -1,
    ...(run.metadata !== undefined ? { metadata: run.metadata } : {}),
  };
  // The start is committed: the store speaks for the run from now, before its worker writes anything.
  // Its input first (a fork reads it there, a reused key is checked against its hash), then its
  // row, which makes it visible. Revision 0: any record of the run's own is newer.
  await options.store?.putRunInput(runId, { run: stored, ...(options.idempotencyKey ? { requestHash } : {}) });
  await options.store?.putRun(runRowOf(state, 0, state.created_at));
  return { output: new WorkflowRunOutput({ ...state, input: run.input }), created: true };
}

/**
 * The run `runId` names already, if one does: a repeated idempotent start of the same request
 * gets it; any other start with its id is a `RunConflictError`.
 */
async function existingRun(client: Client, runId: string, requestHash: string, options: RunOptions): Promise<StartedRun | undefined> {
  let sameRequest: boolean;
  try {
    const described = await client.workflow.getHandle(runId).describe();
    sameRequest = !!options.idempotencyKey && memoOf(described).request_hash === requestHash;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // Queued, not started: its row and its input are all there is (a run queued before the store
    // kept inputs has no request hash to check against: the key names it).
    const row = await options.store?.getRun(runId);
    if (!row) return undefined;
    const requestHashOfRun = (await options.store?.getRunInput(runId))?.requestHash;
    sameRequest = !!options.idempotencyKey && (requestHashOfRun === undefined || requestHashOfRun === requestHash);
  }
  if (!sameRequest) {
    throw new RunConflictError(
      runId,
      options.idempotencyKey ? `The Idempotency-Key ${options.idempotencyKey} was used for a different request (run ${runId}).` : `A run with id ${runId} already exists.`,
    );
  }
  const output = await getRun(client, runId, { store: options.store });
  if (!output) throw new RunNotFoundError(runId);
  return { output, created: false };
}

/** The run id an idempotency key names: a UUID (version 5 layout) derived from definition, user and key. */
function idempotentRunId(definitionId: string, userId: string | undefined, key: string): string {
  const hex = hashOf([definitionId, userId ?? null, key]);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

function hashOf(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
