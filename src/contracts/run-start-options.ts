/**
 * The Temporal start options of a run's execution: its workflow id (the run id), task queue, memo,
 * search attributes and Web UI summary. One function for every place that starts a run: the
 * engine's client (a first start, a retry) and a session's queue workflow, which starts each
 * queued run as a child. Workflow-safe: plain data in, plain data out.
 */
import type { WorkflowIdReusePolicy } from '@temporalio/common';
import type { RunInput } from './plan.ts';
import { initialRunAttributes } from './search-attributes.ts';
import { inputExcerpt } from './text-refs.ts';

export interface RunExecution {
  /** Our run id, which is the Temporal workflow id. */
  runId: string;
  run: RunInput;
  /** The run's memo (engine/run-memo.ts): `input` is its excerpt. */
  memo: { input?: string };
  /** Whether an earlier execution with this run id lets this one start. */
  reusePolicy: WorkflowIdReusePolicy;
  /** Set on a retry: 1 for the first. */
  retryNumber?: number;
  /** Ends the Web UI summary: where a fork comes from. */
  summaryNote?: string;
  /** Temporal's workflow execution timeout (ms): the run ends ERROR "timed out" after it. */
  executionTimeoutMs?: number;
  /** Temporal's priority key (1 first … 5 last): the execution's tasks and, inheriting it, its activities'. Default Temporal's. */
  priority?: number;
}

export function runStartOptions(execution: RunExecution, taskQueue: string) {
  const { run } = execution;
  const note = execution.retryNumber ? ` (retry ${execution.retryNumber})` : (execution.summaryNote ?? '');
  return {
    workflowId: execution.runId,
    taskQueue,
    args: [run] as [RunInput],
    memo: { ...execution.memo } as Record<string, unknown>,
    typedSearchAttributes: initialRunAttributes(run.plan.id, run.sessionId, run.userId),
    workflowIdReusePolicy: execution.reusePolicy,
    // The memo's excerpt: the input itself may be a reference to the stored text.
    staticSummary: `${run.plan.name}: ${execution.memo.input ?? inputExcerpt(run.input)}${note}`,
    ...(execution.executionTimeoutMs !== undefined ? { workflowExecutionTimeout: execution.executionTimeoutMs } : {}),
    ...(execution.priority !== undefined ? { priority: { priorityKey: execution.priority } } : {}),
    staticDetails: run.plan.description,
  };
}
