/** Every activity a worker registers, bound to the worker's registry and Temporal client. */
import type { Client } from '@temporalio/client';
import type { Registry } from '../registry/registry.ts';
import type { LiveLane } from '../live/lane.ts';
import type { BlobStore } from '../data-plane/blob-store.ts';
import { createArchiveEvents } from './archive-events.ts';
import { createUserFunctions } from './function-step.ts';
import { createCarryResetBase } from './reset-base.ts';
import { createDeleteRun } from './delete-run.ts';
import { createRunSlots } from './run-slots.ts';
import type { RunCaps } from '../run-store/run-store.ts';
import { createModelCall } from './model-call.ts';
import { RunData } from './run-data.ts';
import { createSessionHistory } from './session-history.ts';
import { createToolCall } from './tool-call.ts';
import { createRecordRun, RunRecordWriter, withRunRecords } from './run-record.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { activityMetrics } from './activity-metrics.ts';

export interface ActivityDeps {
  registry: Registry;
  temporal: Client;
  env?: NodeJS.ProcessEnv;
  /** Where model calls publish token deltas; default the process's lane. */
  live?: LiveLane;
  /** Where activities keep big texts and archived event logs (the data plane's blob store). */
  blobs: BlobStore;
  /** The largest text a call may produce (BLOB_MAX_BYTES). */
  maxBlobBytes: number;
  /** Where the records runs carry in their activities' inputs are written (see run-record.ts). */
  runStore: RunStore;
  /** Where model and tool calls are counted; none: counted nowhere anyone reads. */
  metrics?: MetricsRegistry;
  /** How many runs may execute at once (sessions' queues wait past it); default none. */
  runCaps?: RunCaps;
}

export function createActivities(deps: ActivityDeps) {
  const withData = { ...deps, data: new RunData(deps.blobs, deps.maxBlobBytes), metrics: activityMetrics(deps.metrics ?? new MetricsRegistry()) };
  const activities = {
    callModel: createModelCall(withData),
    callTool: createToolCall(withData),
    ...createUserFunctions(withData),
    archiveEvents: createArchiveEvents(withData),
    carryResetBase: createCarryResetBase(deps),
    recordRun: createRecordRun(),
    deleteRun: createDeleteRun(deps),
    ...createRunSlots({ runStore: deps.runStore, runCaps: deps.runCaps ?? { maxConcurrency: 0, maxConcurrencyPerUser: 0 } }),
    readSessionHistory: createSessionHistory(deps.runStore),
  };
  return withRunRecords(activities, new RunRecordWriter(deps.runStore, deps.blobs));
}

export type Activities = ReturnType<typeof createActivities>;
