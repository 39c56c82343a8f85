/** The routes of agents or of teams run on their own, in the order the OpenAPI document lists them. */
import { cancelRunnableRun } from './cancel-runnable-run.ts';
import { continueRunnableRun } from './continue-runnable-run.ts';
import { getRunnable } from './get-runnable.ts';
import { getRunnableRun } from './get-runnable-run.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { listRunnables } from './list-runnables.ts';
import { resumeRunnableRun } from './resume-runnable-run.ts';
import { retryRunnableRun } from './retry-runnable-run.ts';
import { startRunnableRun } from './start-runnable-run.ts';

export const runnableRoutes = (kind: RunnableRoutesKind) => [
  listRunnables(kind),
  getRunnable(kind),
  startRunnableRun(kind),
  getRunnableRun(kind),
  cancelRunnableRun(kind),
  continueRunnableRun(kind),
  resumeRunnableRun(kind),
  retryRunnableRun(kind),
];
