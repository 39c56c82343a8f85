/**
 * Starts the Temporal execution that carries a run, for a first start and a retry alike; its
 * options are the ones a session's queue starts queued runs with (contracts/run-start-options.ts).
 */
import type { Client } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import type { RunWorkflow } from '../contracts/run-workflow-api.ts';
import { runStartOptions } from '../contracts/run-start-options.ts';
import type { RunExecution } from '../contracts/run-start-options.ts';

export type { RunExecution } from '../contracts/run-start-options.ts';

/** Throws `WorkflowExecutionAlreadyStartedError` when the reuse policy refuses the run id. */
export async function startRunExecution(client: Client, taskQueue: string, execution: RunExecution): Promise<void> {
  await client.workflow.start<RunWorkflow>(RUN_WORKFLOW_TYPE, runStartOptions(execution, taskQueue));
}
