// Entry point of the workflow bundle: every Temporal workflow type the worker registers.
export { WorkflowRun } from './run-workflow.ts';
export { SessionQueue } from './session-queue.ts';
