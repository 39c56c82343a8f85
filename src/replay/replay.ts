/**
 * Replay: run a recorded history against the current workflow code. A change to workflow code that
 * would break runs already in flight (non-determinism) fails here, before it is deployed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { WorkflowBundle } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { DataConverter } from '@temporalio/common';
import { dataPlaneConfigFromEnv } from '../data-plane/config.ts';
import { createDataConverter } from '../data-plane/data-converter.ts';
import { bundleWorkflows } from '../worker/create-worker.ts';
import { workflowSpanSinks } from '../tracing/temporal-spans.ts';

export type History = temporal.api.history.v1.IHistory;

export async function fetchRunHistory(client: Client, runId: string, executionRunId?: string): Promise<History> {
  return client.workflow.getHandle(runId, executionRunId).fetchHistory();
}

export async function saveHistory(file: string, history: History): Promise<void> {
  await writeFile(file, `${historyToJSON(history as temporal.api.history.v1.History)}\n`);
}

export async function loadHistory(file: string): Promise<History> {
  return historyFromJSON(JSON.parse(await readFile(file, 'utf8')));
}

export interface ReplayOutcome {
  ok: boolean;
  /** Set when the code no longer produces the commands the history recorded. */
  nondeterministic: boolean;
  error?: Error;
}

export interface ReplayOptions {
  workflowBundle?: WorkflowBundle;
  workflowsPath?: string;
  /** Reads the payloads a history holds as claims; default the data plane of the environment (BLOB_STORE, ...). */
  dataConverter?: DataConverter;
}

/**
 * Replays one history against a workflow bundle (default: the current `src/workflows`).
 * Resolves with the outcome instead of throwing, so callers can report clearly.
 */
export async function replayHistory(history: History, options: ReplayOptions = {}): Promise<ReplayOutcome> {
  // Bundled here, also for a given path: the bundle brings the workflows' interceptors with it.
  const code = { workflowBundle: options.workflowBundle ?? (await bundleWorkflows(options.workflowsPath)) };
  // The replayer only reads blobs (the SDK skips storing on replay): the same converter as the run's.
  // Traced runs call the workflow span sink (never on replay, but an unknown sink is an error): the one that drops them.
  const source = { ...code, dataConverter: options.dataConverter ?? createDataConverter(dataPlaneConfigFromEnv()), sinks: workflowSpanSinks(undefined) };
  // The run's own id, as its first event records it: workflow code may derive ids from it (children).
  const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? undefined;
  try {
    await Worker.runReplayHistory(source, history, workflowId);
    return { ok: true, nondeterministic: false };
  } catch (err) {
    return { ok: false, nondeterministic: err instanceof DeterminismViolationError, error: err as Error };
  }
}
