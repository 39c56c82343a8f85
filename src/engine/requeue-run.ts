/**
 * Requeueing an ended run (Agno's `POST /queue/jobs/{id}/requeue`): its input starts again as a
 * new run, in the same session and for the same user, through the session's queue like any start.
 * Unlike a retry (retry-run.ts), nothing of the ended run is kept: every step runs again.
 */
import type { Client } from '@temporalio/client';
import type { MultitaskStrategy } from '../contracts/multitask-strategies.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { engineData, textScope } from './engine-data.ts';
import { startedWith } from './run-input.ts';
import { startRun } from './start-run.ts';
import type { StartedRun } from './start-run.ts';

export async function requeueRun(client: Client, taskQueue: string, runId: string, options: { multitaskStrategy?: MultitaskStrategy; store?: RunStore }): Promise<StartedRun> {
  const { plan, input, sessionId, userId, additionalData, metadata, timeouts, historyBudget } = await startedWith(client, runId, options.store);
  const text = await engineData(client).texts.expand(input, textScope(client, runId));
  return startRun(client, taskQueue, plan, { input: text, sessionId, userId, additionalData, metadata, timeouts, historyBudget, multitaskStrategy: options.multitaskStrategy, store: options.store });
}
