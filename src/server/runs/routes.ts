/** The run routes, in the order the OpenAPI document lists them. */
import { cancelRun } from './cancel-run.ts';
import { continueRun } from './continue-run.ts';
import { forkRun } from './fork-run.ts';
import { getRun } from './get-run.ts';
import { listRuns } from './list-runs.ts';
import { runListChanges } from './run-list-changes.ts';
import { listWorkflowRuns } from './list-workflow-runs.ts';
import { resumeRun } from './resume-run.ts';
import { retryRun } from './retry-run.ts';
import { runEvents } from './run-events.ts';
import { startRun } from './start-run.ts';

export const RUN_ROUTES = [startRun, listWorkflowRuns, getRun, cancelRun, continueRun, retryRun, forkRun, resumeRun, runEvents, listRuns, runListChanges];
