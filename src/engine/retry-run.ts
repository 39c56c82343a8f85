/**
 * Retries a run from the step that failed. A run held after a failure (PAUSED) runs that step
 * again in place. A run that ended ERROR starts again under the same run id, carrying its event
 * log (archived: by reference) and the results of its completed steps: no finished step's model
 * or tool calls are made again, nor those the failed step completed before the call that failed
 * (completed-calls.ts), and its events continue after the failed attempt's last index. See
 * docs/adr/0004-retry-from-the-failed-step.md, docs/adr/0006-bytes-beside-the-run.md and
 * docs/adr/0027-retry-from-the-failed-call.md.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { TERMINAL_STATUSES } from '../contracts/events.ts';
import type { RunInput } from '../contracts/plan.ts';
import { inputQuery, retryUpdate, stateQuery } from '../contracts/run-workflow-api.ts';
import { RunConflictError, RunNotFoundError } from './errors.ts';
import { archiveLog } from './archive-log.ts';
import { completedCalls } from './completed-calls.ts';
import { engineData, textScope } from './engine-data.ts';
import { queryClosedRun } from './query-run.ts';
import { describeRunSummary, getRun } from './read-run.ts';
import { startRunExecution } from './run-execution.ts';
import { updateResult } from './run-update.ts';
import { memoOf } from './run-memo.ts';
import { WorkflowRunOutput } from './run-output.ts';
import type { RunStore } from '../run-store/run-store.ts';

/** `store`: the run store, whose row of the run says at once that it runs again (readers of ended runs trust it). */
export async function retryRun(client: Client, taskQueue: string, runId: string, store?: RunStore): Promise<WorkflowRunOutput> {
  const handle = client.workflow.getHandle(runId);
  await endOfEnding(handle, runId, store);
  const summary = await describeRunSummary(client, runId);
  if (!summary) throw new RunNotFoundError(runId);
  if (summary.status === 'PAUSED') {
    // Taken once: the workflow refuses a retry of a run waiting for a person (that is answered
    // with continue) or of one whose retry another caller sent first.
    try {
      await updateResult(client, runId, 'the retry', () => handle.executeUpdate(retryUpdate));
    } catch (err) {
      // It ended in between (another caller's retry ran it to its end, say).
      if (err instanceof WorkflowNotFoundError) throw notRetriable(runId, (await describeRunSummary(client, runId))?.status ?? 'gone');
      throw err;
    }
    return (await getRun(client, runId))!;
  }
  if (summary.status !== 'ERROR') throw notRetriable(runId, summary.status);
  const [input, state] = await Promise.all([queryClosedRun(client, runId, inputQuery), queryClosedRun(client, runId, stateQuery)]);
  // The failed attempts' whole log: the run has ended, so what is there now is all there is.
  const [{ log, starts }, reusedCalls] = await Promise.all([
    archiveLog(client, runId),
    // A history that cannot be read (a blob of it gone) costs the calls, not the retry: the failed step runs again whole.
    completedCalls(client, runId).catch((err: unknown) => {
      console.warn(`Run ${runId}: its completed calls could not be read, the retry makes them again: ${String(err)}`);
      return undefined;
    }),
  ]);
  const description = await handle.describe();
  const attempt = (starts || 1) + 1;
  const retry: RunInput = {
    ...input,
    // As long again as the first attempt had.
    ...(input.timeout ? { timeout: { seconds: input.timeout.seconds } } : {}),
    resume: {
      attempt,
      log,
      stepResults: state.step_results.filter((result) => result.success),
      ...(state.step_executor_runs ? { executorRuns: state.step_executor_runs } : {}),
      createdAt: state.created_at,
    },
    // The failed step goes on from the call that failed: those it completed are not made again.
    ...(reusedCalls ? { reusedCalls } : {}),
  };
  try {
    // Only a failed run may be followed by another execution with its id.
    // The memo keeps the run's first start, which lists show (the execution's own start is the retry's).
    const memo = { ...memoOf(description), created_at: state.created_at };
    await startRunExecution(client, taskQueue, { runId, run: retry, memo, reusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', retryNumber: attempt - 1, priority: description.priority?.priorityKey });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RunConflictError(runId, `Run ${runId} is already being retried.`);
    throw err;
  }
  const row = await store?.getRun(runId);
  // Newer than the ended row by its revision alone: the retry's first record, with new events, is newer still.
  if (row) await store!.putRun({ ...row, status: 'PENDING', state: { ...row.state, status: 'PENDING', error: undefined }, revision: row.revision + 1 });
  const texts = await engineData(client).texts.expandAll(state, textScope(client, runId));
  return new WorkflowRunOutput({ ...texts, status: 'PENDING', error: undefined, last_event_index: log.next - 1 });
}

/** Longest a retry waits for the execution of a run the store already has ended to close. */
const CLOSING_WAIT_MS = 10_000;

/**
 * A run's end reaches the store just before its execution closes (its last record is written by
 * an activity the workflow's final task waits for): a client that reads the end and retries at
 * once would find the execution still open. Such a retry waits for it to close.
 */
async function endOfEnding(handle: WorkflowHandle, runId: string, store: RunStore | undefined): Promise<void> {
  const row = await store?.getRun(runId);
  if (!row || !TERMINAL_STATUSES.includes(row.status)) return;
  const waited = new AbortController();
  try {
    await Promise.race([handle.result().catch(() => undefined), delay(CLOSING_WAIT_MS, undefined, { signal: waited.signal }).catch(() => undefined)]);
  } finally {
    waited.abort();
  }
}

function notRetriable(runId: string, status: string): RunConflictError {
  return new RunConflictError(runId, `Only failed or paused runs can be retried; run ${runId} is ${status}.`);
}
