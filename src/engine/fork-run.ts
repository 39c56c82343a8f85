/**
 * Forks a run at a step: a new run whose log starts with the source run's events before that
 * step (each marked `forked_from_run_id`), and which goes on from there with the results of the
 * steps before it reused, so no model or tool call before the fork point is made again. The new
 * run starts as a continuation of the source (the way a run continues as new), its carried log
 * archived under its own id; the source run is not touched. See docs/adr/0018-fork-from-a-step.md.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { RunEvent, RunState } from '../contracts/events.ts';
import { flattenStepResults, TERMINAL_STATUSES } from '../contracts/events.ts';
import type { ExecutorRunRecord } from '../contracts/executor-runs.ts';
import type { RunInput } from '../contracts/plan.ts';
import { stateQuery } from '../contracts/run-workflow-api.ts';
import { writeSegments } from '../data-plane/log-segments.ts';
import { runRowOf } from '../run-store/run-row.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { engineData, textScope } from './engine-data.ts';
import { RunConflictError, RunNotFoundError } from './errors.ts';
import { readEventLog } from './event-reader.ts';
import { findForkPoint } from './fork-point.ts';
import type { ForkPoint, ForkRequest } from './fork-point.ts';
import { queryClosedRun } from './query-run.ts';
import { startedWith } from './run-input.ts';
import { describeRunSummary } from './read-run.ts';
import { startRunExecution } from './run-execution.ts';
import { storedRun } from './stored-runs.ts';
import type { StoredRun } from './stored-runs.ts';
import { runMemo } from './run-memo.ts';
import { WorkflowRunOutput } from './run-output.ts';

export type { ForkRequest } from './fork-point.ts';

export interface ForkOptions extends ForkRequest {
  /** The fork's input; default the source run's. */
  input?: string;
  /** The fork's session; default the source run's. */
  sessionId?: string;
  /** The fork's run id; default a new UUID. */
  runId?: string;
}

export interface ForkedRun {
  output: WorkflowRunOutput;
  point: ForkPoint;
}

export async function forkRun(client: Client, taskQueue: string, sourceId: string, options: ForkOptions, store?: RunStore): Promise<ForkedRun> {
  const summary = await describeRunSummary(client, sourceId, store);
  if (!summary) throw new RunNotFoundError(sourceId);
  if (!TERMINAL_STATUSES.includes(summary.status)) {
    throw new RunConflictError(sourceId, `Run ${sourceId} is ${summary.status}: only ended runs can be forked. Wait for it to end, or cancel it, then fork it.`);
  }
  // The store speaks for a run it holds ended and whole: its state, log and input need no worker.
  const stored = store && (await storedRun(client, store, sourceId));
  const texts = engineData(client).texts;
  // The texts the fork reuses are copied, not referenced: the fork outlives a deletion of its source.
  const sourceScope = textScope(client, sourceId);
  const [source, state, log, execution] = await Promise.all([
    startedWith(client, sourceId, store),
    (stored?.kind === 'stored' ? Promise.resolve(stored.row.state) : queryClosedRun(client, sourceId, stateQuery)).then((read) => texts.expandAll(read, sourceScope)),
    wholeLog(client, sourceId, store, stored),
    client.workflow.getHandle(sourceId).describe(),
  ]);
  const point = findForkPoint(sourceId, source.plan, log, state.step_results, options);
  const runId = options.runId ?? randomUUID();
  const sessionId = options.sessionId ?? source.sessionId;
  const carried = log.filter((event) => event.event_index < point.cut).map((event) => carriedEvent(event, sourceId, runId, sessionId));
  const segments = await writeSegments(engineData(client).blobs, { namespace: client.options.namespace, workflowId: runId }, carried);
  const input = options.input ?? (await texts.expand(source.input, sourceScope));
  const startedAtMs = Date.now();
  const createdAt = Math.floor(startedAtMs / 1000);
  const { resume: _retry, continued: _position, forkedFrom: _earlier, ...settings } = source;
  const run: RunInput = {
    ...settings,
    input: await texts.keep(input, { namespace: client.options.namespace, workflowId: runId, producer: 'input' }),
    sessionId,
    ...(source.timeout ? { timeout: { seconds: source.timeout.seconds } } : {}),
    forkedFrom: { runId: sourceId, stepName: point.stepName, stepIndex: point.stepIndex, ...(point.iteration !== undefined ? { iteration: point.iteration } : {}) },
    continued: {
      log: { segments, next: point.cut },
      stepResults: point.stepResults,
      executorRuns: renamed(reusedExecutorRuns(state.step_executor_runs ?? [], point), sourceId, runId),
      outputs: outputsOf(point),
      createdAt,
      startedAtMs,
      stepIndex: point.stepIndex,
      ...(point.inside ? { inside: point.inside } : {}),
    },
  };
  const memo = runMemo({ ...run, input }, createHash('sha256').update(JSON.stringify(['fork', sourceId, point.stepIndex, point.iteration ?? null, runId])).digest('hex'));
  const iteration = point.iteration && point.iteration > 1 ? `, iteration ${point.iteration}` : '';
  await startRunExecution(client, taskQueue, { runId, run, memo, reusePolicy: 'REJECT_DUPLICATE', summaryNote: ` (fork of ${sourceId} at ${point.stepName}${iteration})`, priority: execution.priority?.priorityKey });
  const { request_hash: _hash, ...described } = memo;
  const pending: RunState = {
    ...described,
    input: run.input,
    run_id: runId,
    status: 'PENDING',
    step_results: point.stepResults,
    metrics: { steps: {} },
    created_at: createdAt,
    last_event_index: point.cut - 1,
    ...(source.metadata !== undefined ? { metadata: source.metadata } : {}),
  };
  // Revision 0, as a start's: the fork's own first record is newer. Its input first: a fork of it asks no worker either.
  await store?.putRunInput(runId, { run });
  await store?.putRun(runRowOf(pending, 0, createdAt));
  return { output: new WorkflowRunOutput({ ...pending, input }), point };
}

/** The source's whole log: it has ended, so what is there now is all there is. */
async function wholeLog(client: Client, runId: string, store: RunStore | undefined, stored: StoredRun | undefined): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const page of readEventLog(client, runId, { mode: 'snapshot', store, stored })) events.push(...page);
  return events;
}

/** A source event as the fork carries it: under the fork's run id and session, marked with the source's id. */
function carriedEvent(event: RunEvent, sourceId: string, runId: string, sessionId: string): RunEvent {
  return { ...renamed(event, sourceId, runId), session_id: sessionId, forked_from_run_id: sourceId };
}

/** `value` with every string that is the source's run id (`run_id`, `workflow_run_id`, ...) replaced by the fork's. */
function renamed<T>(value: T, sourceId: string, runId: string): T {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (item === sourceId ? runId : item)) as T;
}

/** The agent and team runs of the reused results (shown on the fork's output as on the source's). */
function reusedExecutorRuns(runs: ExecutorRunRecord[], point: ForkPoint): ExecutorRunRecord[] {
  const reused = new Set(flattenStepResults([...point.stepResults, ...(point.inside?.results ?? [])]).flatMap((result) => (result.step_run_id ? [result.step_run_id] : [])));
  return runs.filter((run) => reused.has(run.run_id));
}

/** Content of every reused step, by name (Agno's `previousStepOutputs`), the latest winning. */
function outputsOf(point: ForkPoint): Record<string, string> {
  const outputs = Object.fromEntries(flattenStepResults(point.stepResults).map((result) => [result.step_name, result.content]));
  for (const result of point.inside?.results ?? []) outputs[result.step_name] = result.content;
  return outputs;
}
