/**
 * A worker for a set of workflow definitions: the generic run interpreter (one workflow bundle
 * serves every definition, since plans arrive as input) plus activities bound to a registry of
 * the definitions' tools, models and step functions.
 */
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { connectionOptionsOf, resolveTemporalConfig } from '../engine/config.ts';
import { connectionFailure } from '../engine/temporal-connection.ts';
import type { TemporalConfig } from '../engine/config.ts';
import { Registry } from '../registry/registry.ts';
import { ensureSearchAttributes } from '../engine/register-search-attributes.ts';
import type { NestedWorkflow } from '../definitions/node.ts';
import { activityResultGuard } from '../data-plane/activity-result-guard.ts';
import { dataPlaneConfigFromEnv } from '../data-plane/config.ts';
import type { DataPlaneConfig } from '../data-plane/config.ts';
import { blobDriverOf, createDataConverter } from '../data-plane/data-converter.ts';
import type { LiveLane } from '../live/lane.ts';
import { bundleWorkflows } from './workflow-bundle.ts';
import { openRunStore, runStoreConfigFromEnv } from '../run-store/config.ts';
import type { RunStore } from '../run-store/run-store.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { Tracing } from '../tracing/provider.ts';
import { activitySpans, workflowSpanSinks } from '../tracing/temporal-spans.ts';
import { workerSettingsFromEnv } from './worker-env.ts';

export { bundleWorkflows, WORKFLOWS_PATH } from './workflow-bundle.ts';

export interface CreateWorkerOptions extends Partial<TemporalConfig> {
  /** Workflows, and the agents and teams run on their own (src/definitions/runnable.ts). */
  workflows: NestedWorkflow[];
  /** Reuse a connection; default: connect to `address`. */
  connection?: NativeConnection;
  /** A prebuilt bundle (see `bundleWorkflows`) saves the bundling time when many workers start. */
  workflowBundle?: WorkflowBundle;
  env?: NodeJS.ProcessEnv;
  /** Where model calls publish token deltas; default the process's lane (LIVE_LANE, REDIS_URL). */
  live?: LiveLane;
  /** Maximum concurrent activity executions; default 100. */
  maxConcurrentActivityTaskExecutions?: number;
  /**
   * How long a run's next workflow task waits for the worker that last ran it before any worker
   * may take it (ms); default 3 s (the SDK's is 10 s). A crashed worker delays its runs by this.
   */
  stickyQueueScheduleToStartTimeoutMs?: number;
  /** Blob store and sizes of the claim-check; default from `env` (BLOB_STORE, BLOB_THRESHOLD_BYTES, ...). */
  dataPlane?: DataPlaneConfig;
  /** Where runs' committed events and rows are written; default opened from `env` (RUN_STORE, ...: SQLite under DATA_DIR) and closed with the worker. */
  runStore?: RunStore;
  /** Where model calls, tool calls and the blob store are counted (METRICS_PORT serves them); none: not counted. */
  metrics?: MetricsRegistry;
  /**
   * Where the spans of traced runs go (see src/tracing/): their workflows', their activities' and
   * their model and tool calls'. Default none: a run started with a trace context still runs, its
   * spans dropped.
   */
  tracing?: Tracing;
  /**
   * How long `shutdown()` lets the calls in flight finish (ms); default from `env`
   * (WORKER_SHUTDOWN_GRACE_MS), else 25 s. Then they are cancelled, and retried by another worker.
   */
  shutdownGraceMs?: number;
}

/**
 * After the grace time, calls are cancelled; one that ignores its cancellation (a user function
 * that never looks) has this long more before the worker gives up on it and `run()` rejects.
 */
const SHUTDOWN_FORCE_AFTER_GRACE_MS = 10_000;

export interface RunningWorker {
  worker: Worker;
  registry: Registry;
  /** Runs until `shutdown()` (or a signal such as SIGINT) and then resolves. */
  run(): Promise<void>;
  /**
   * Stops polling for new work, lets the calls in flight finish within the grace time (each
   * reported to Temporal as done, so none runs again), and resolves once the worker has stopped.
   */
  shutdown(): Promise<void>;
}

export async function createWorker(options: CreateWorkerOptions): Promise<RunningWorker> {
  const config = resolveTemporalConfig({ address: options.address, namespace: options.namespace, taskQueue: options.taskQueue, security: options.security }, options.env);
  // Read before connecting: a bad value fails the start with nothing to close.
  const settings = workerSettingsFromEnv(options.env);
  const shutdownGraceMs = options.shutdownGraceMs ?? settings.shutdownGraceMs;
  const ownsConnection = !options.connection;
  const connection = options.connection ?? (await connectNative(config));
  await ensureSearchAttributes(connection, config.namespace);
  const registry = new Registry(options.workflows);
  const dataPlane = options.dataPlane ?? dataPlaneConfigFromEnv(options.env);
  const dataConverter = createDataConverter(dataPlane, options.metrics);
  const temporal = new Client({ connection, namespace: config.namespace, dataConverter });
  const ownsStore = !options.runStore;
  const runStore = options.runStore ?? (await openRunStore(runStoreConfigFromEnv(options.env)));
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    // The prebuilt bundle when it matches the installed code, else bundled here (quietly: webpack's report stays out of the logs).
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    activities: createActivities({ registry, temporal, env: options.env, live: options.live, blobs: blobDriverOf(dataConverter)!.blobs, maxBlobBytes: dataPlane.maxBytes, runStore, metrics: options.metrics, runCaps: settings.runCaps }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    stickyQueueScheduleToStartTimeout: options.stickyQueueScheduleToStartTimeoutMs ?? 3000,
    shutdownGraceTime: shutdownGraceMs,
    shutdownForceTime: shutdownGraceMs + SHUTDOWN_FORCE_AFTER_GRACE_MS,
    dataConverter,
    // Outermost first: an activity's span covers the guard of its result too.
    interceptors: { activity: [...(options.tracing ? [activitySpans(options.tracing.tracer)] : []), activityResultGuard(dataConverter, dataPlane.maxBytes)] },
    sinks: workflowSpanSinks(options.tracing),
  }).catch(async (err: unknown) => {
    if (ownsStore) await runStore.close();
    throw err;
  });
  let running: Promise<void> | undefined;
  return {
    worker,
    registry,
    run() {
      running ??= worker.run().finally(async () => {
        if (ownsStore) await runStore.close();
        if (ownsConnection) await connection.close();
      });
      return running;
    },
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

async function connectNative(config: TemporalConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectionOptionsOf(config));
  } catch (err) {
    throw connectionFailure(config.address, err);
  }
}
