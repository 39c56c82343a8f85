/**
 * Starts the Temporal execution that carries a run: the one place that names its workflow type,
 * task queue, memo, search attributes and Web UI summary, for a first start and a retry alike.
 */
import type { Client } from '@temporalio/client';
import type { WorkflowIdReusePolicy } from '@temporalio/common';
import type { RunInput } from '../contracts/plan.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import type { RunWorkflow } from '../contracts/run-workflow-api.ts';
import { initialRunAttributes } from '../contracts/search-attributes.ts';
import { inputExcerpt } from '../contracts/text-refs.ts';
import type { RunMemo } from './run-memo.ts';

export interface RunExecution {
  /** Our run id, which is the Temporal workflow id. */
  runId: string;
  run: RunInput;
  memo: RunMemo;
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

/** Throws `WorkflowExecutionAlreadyStartedError` when the reuse policy refuses the run id. */
export async function startRunExecution(client: Client, taskQueue: string, execution: RunExecution): Promise<void> {
  const { run } = execution;
  const note = execution.retryNumber ? ` (retry ${execution.retryNumber})` : (execution.summaryNote ?? '');
  await client.workflow.start<RunWorkflow>(RUN_WORKFLOW_TYPE, {
    workflowId: execution.runId,
    taskQueue,
    args: [run],
    memo: { ...execution.memo },
    typedSearchAttributes: initialRunAttributes(run.plan.id, run.sessionId, run.userId),
    workflowIdReusePolicy: execution.reusePolicy,
    // The memo's excerpt: the input itself may be a reference to the stored text.
    staticSummary: `${run.plan.name}: ${execution.memo.input ?? inputExcerpt(run.input)}${note}`,
    ...(execution.executionTimeoutMs !== undefined ? { workflowExecutionTimeout: execution.executionTimeoutMs } : {}),
    ...(execution.priority !== undefined ? { priority: { priorityKey: execution.priority } } : {}),
    staticDetails: run.plan.description,
  });
}
