/**
 * Everything in one process tree, like Agno's `AgentOS({ workflows }).serve()`: a Temporal dev
 * server (unless TEMPORAL_ADDRESS points at one), a worker and the HTTP API for your workflows.
 *
 *   import { AgentOS } from 'durable-agents';
 *   await new AgentOS({ workflows: [myWorkflow] }).serve();
 */
import { join } from 'node:path';
import { resolveTemporalConfig } from '../engine/config.ts';
import { CODEC_PATH } from '../server/codec/routes.ts';
import type { TemporalConfig } from '../engine/config.ts';
import { Engine } from '../engine/engine.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../data-plane/config.ts';
import type { DataPlaneConfig } from '../data-plane/config.ts';
import { startDevServer } from '../dev-server/temporal-cli.ts';
import type { DevServer } from '../dev-server/temporal-cli.ts';
import { authFromEnv } from '../server/http/auth.ts';
import type { Authenticate } from '../server/http/auth.ts';
import { serveApi } from '../server/serve.ts';
import { apiSettingsFromEnv } from './api-env.ts';
import type { ApiServer } from '../server/serve.ts';
import type { Agent } from '../definitions/agent.ts';
import type { Team } from '../definitions/team.ts';
import type { WorkflowDefinition } from '../definitions/workflow.ts';
import { servedRunnables } from './served-runnables.ts';
import { liveLaneConfigFromEnv, openLiveLane, setDefaultLiveLane } from '../live/config.ts';
import type { LiveLane } from '../live/lane.ts';
import { redactedUrl } from '../live/redis-lane.ts';
import { createWorker } from '../worker/create-worker.ts';
import { openRunStore, runStoreConfigFromEnv } from '../run-store/config.ts';
import type { RunStoreConfig } from '../run-store/config.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { installSdkRuntime } from '../worker/sdk-runtime.ts';
import type { RunningWorker } from '../worker/create-worker.ts';
import { metricsConfigFromEnv } from '../metrics/config.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { serveMetrics } from '../metrics/serve-metrics.ts';
import type { MetricsServer } from '../metrics/serve-metrics.ts';
import { readLaneHealth } from '../live/live-metrics.ts';
import { tracingConfigFromEnv } from '../tracing/config.ts';
import { startTracing } from '../tracing/provider.ts';
import type { Tracing } from '../tracing/provider.ts';

export interface AgentOSOptions {
  workflows?: WorkflowDefinition[];
  /** Agents served on their own (`/agents`), as Agno's AgentOS serves its `agents` (src/os/served-runnables.ts). */
  agents?: Agent[];
  /** Teams served on their own (`/teams`). */
  teams?: Team[];
  /** API port; default PORT or 7777. */
  port?: number;
  host?: string;
  /** Where Temporal is; default from the environment. Without TEMPORAL_ADDRESS a dev server is started. */
  temporal?: Partial<TemporalConfig>;
  /** The embedded dev server's SQLite file; default `$DATA_DIR/temporal.db`, DATA_DIR defaulting to `.data` (runs survive restarts). */
  dataFile?: string;
  /** Port of the embedded dev server; default TEMPORAL_DEV_SERVER_PORT or 7233. */
  devServerPort?: number;
  /** Web UI port of the embedded dev server; default TEMPORAL_UI_PORT or 8233. */
  uiPort?: number;
  authenticate?: Authenticate;
  /** Blob store and sizes of the claim-check; default from the environment (BLOB_STORE: local files in `$DATA_DIR/blobs`). */
  dataPlane?: DataPlaneConfig;
  /** Where token deltas travel live; default from the environment (LIVE_LANE, REDIS_URL: in memory without them). */
  live?: LiveLane;
  /** Where runs are recorded for reads; default from the environment (RUN_STORE, ...: SQLite in `$DATA_DIR/run-store.sqlite`). */
  runStore?: RunStoreConfig;
  /** Startup lines go here; default console.log. */
  log?: (line: string) => void;
}

export interface RunningOS {
  apiUrl: string | undefined;
  webUiUrl: string | undefined;
  temporalAddress: string;
  /**
   * Stops the API (gracefully: clients are told to reconnect elsewhere, within API_SHUTDOWN_GRACE_MS),
   * the worker (its calls in flight finish, within WORKER_SHUTDOWN_GRACE_MS) and the embedded server, in that order.
   */
  stop(): Promise<void>;
}

/** What one process runs: everything (`npm start`), or one part for scale-out. */
export type Role = 'all' | 'worker' | 'api';

/** `service.name` of each part's spans, unless OTEL_SERVICE_NAME sets one. */
const SERVICE_NAMES: Record<Role, string> = { all: 'durable-agents', worker: 'durable-agents-worker', api: 'durable-agents-api' };

export class AgentOS {
  readonly options: AgentOSOptions;

  constructor(options: AgentOSOptions) {
    if (!options?.workflows?.length && !options?.agents?.length && !options?.teams?.length) throw new Error('AgentOS needs at least one workflow, agent or team.');
    this.options = options;
  }

  async serve(role: Role = 'all'): Promise<RunningOS> {
    const log = this.options.log ?? ((line: string) => console.log(line));
    const env = process.env;
    const host = this.options.host ?? env.HOST ?? '0.0.0.0';
    const metricsConfig = metricsConfigFromEnv(env);
    // The SDK's worker metrics: only a process with a worker has any.
    const sdkMetricsAddress = role !== 'api' && metricsConfig.sdkPort ? `${host}:${metricsConfig.sdkPort}` : undefined;
    const sdkMetricsServed = installSdkRuntime(undefined, { metricsAddress: sdkMetricsAddress }) && sdkMetricsAddress !== undefined;
    // Our own metrics, one registry for the parts of this process, served on their own port (src/metrics/serve-metrics.ts).
    const metrics = metricsConfig.port ? new MetricsRegistry() : undefined;
    const config = resolveTemporalConfig(this.options.temporal ?? {}, env);
    const apiPort = this.options.port ?? Number(env.PORT || 7777);
    // One data plane for the worker and the API: both must read the claims the other writes.
    const dataPlane = this.options.dataPlane ?? dataPlaneConfigFromEnv(env);
    const workflows = this.options.workflows ?? [];
    const runnables = servedRunnables({ agents: this.options.agents, teams: this.options.teams });
    const names = [...workflows, ...runnables].map((workflow) => `${workflow.name} (${workflow.id})`).join(', ');
    let devServer: DevServer | undefined;
    let worker: RunningWorker | undefined;
    let api: ApiServer | undefined;
    let engine: Engine | undefined;
    let runStore: RunStore | undefined;
    let metricsServer: MetricsServer | undefined;
    const runStoreConfig = this.options.runStore ?? runStoreConfigFromEnv(env);
    // Traces only with an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); each part names itself unless OTEL_SERVICE_NAME does.
    const tracingConfig = tracingConfigFromEnv(env, SERVICE_NAMES[role]);
    // One lane for the worker, the API and in-process streams: in memory, all-in-one needs no broker.
    const liveConfig = liveLaneConfigFromEnv(env);
    const live = this.options.live ?? openLiveLane(liveConfig);
    setDefaultLiveLane(live);
    if (metrics) readLaneHealth(metrics, live);
    const tracing = tracingConfig && startTracing(tracingConfig);
    const stop = async () => {
      await metricsServer?.close();
      await api?.shutdown();
      await worker?.shutdown();
      await engine?.close();
      await runStore?.close();
      await devServer?.stop();
      if (!this.options.live) await live.close();
      // Last: the spans of everything above are exported before the process ends.
      await tracing?.shutdown();
    };
    try {
      // First: once a part says it is ready, its metrics are served.
      if (metrics) {
        metricsServer = await serveMetrics(metrics, { port: metricsConfig.port!, hostname: host });
        log(`metrics ready: ${metricsServer.url}`);
      }
      // Only the all-in-one process embeds Temporal; scaled-out parts connect to a shared one.
      if (role === 'all' && !this.options.temporal?.address && !env.TEMPORAL_ADDRESS) {
        const port = this.options.devServerPort ?? Number(env.TEMPORAL_DEV_SERVER_PORT || 7233);
        const dbFile = this.options.dataFile ?? join(env.DATA_DIR || '.data', 'temporal.db');
        log(`starting Temporal dev server on 127.0.0.1:${port} (data in ${dbFile}) ...`);
        devServer = await startDevServer({
          port,
          uiPort: this.options.uiPort ?? Number(env.TEMPORAL_UI_PORT || 8233),
          dbFile,
          namespace: config.namespace,
          // The UI runs in a browser on this machine: it reaches the API on loopback.
          codecEndpoint: apiPort > 0 ? `http://127.0.0.1:${apiPort}${CODEC_PATH}` : undefined,
        });
        config.address = devServer.address;
        // Our own dev server speaks plain gRPC on loopback: credentials in the environment are for another server.
        config.security = undefined;
      }
      // Workers write the runs' committed events and rows there, the API reads ended runs from it (see docs/adr/0012-run-store-writes.md).
      runStore = await openRunStore(runStoreConfig);
      if (role !== 'api') {
        worker = await createWorker({ workflows: [...workflows, ...runnables], ...config, dataPlane, live, runStore, metrics, tracing });
        void worker.run();
        log(`worker ready: task queue ${config.taskQueue} on ${config.address} (namespace ${config.namespace}), workflows: ${names}`);
      }
      if (role !== 'worker') {
        engine = await Engine.connect({ ...config, dataPlane, runStore, tracing });
        const settings = apiSettingsFromEnv(env);
        api = await serveApi({
          engine,
          workflows,
          runnables,
          authenticate: this.options.authenticate ?? authFromEnv(env),
          namespace: config.namespace,
          webUiUrl: devServer?.uiUrl ?? settings.webUiUrl,
          corsOrigins: settings.corsOrigins,
          listenBacklog: settings.listenBacklog,
          acceptSockets: settings.acceptSockets,
          shutdownGraceMs: settings.shutdownGraceMs,
          codecMaxBytes: settings.codecMaxBytes,
          runTimeoutSeconds: settings.runTimeoutSeconds,
          queue: settings.queue,
          blobs: openBlobStore(dataPlane),
          live,
          metrics,
          port: apiPort,
          hostname: host,
          tracer: tracing?.tracer,
        });
        log(`API ready: ${api.url} (docs ${api.url}/docs), Temporal ${config.address}, task queue ${config.taskQueue}`);
        // In the background: runs that ended before the store are read through Temporal until written.
        const backfilling = engine;
        void backfilling.backfillRunStore({ log }).catch((err: unknown) => log(`run store back-fill stopped: ${String(err)}; the next start goes on with it`));
      }
    } catch (err) {
      await stop();
      throw err;
    }
    const webUiUrl = devServer?.uiUrl;
    if (role === 'all') {
      log('');
      log(`API:         ${api!.url}`);
      log(`API docs:    ${api!.url}/docs`);
      log(`Temporal:    ${config.address} (namespace ${config.namespace}, task queue ${config.taskQueue})`);
      if (webUiUrl) log(`Web UI:      ${webUiUrl}`);
      log(`blobs:       ${openBlobStore(dataPlane).location} (payloads of ${dataPlane.thresholdBytes.toLocaleString('en-US')} bytes or more)`);
      log(`run store:   ${describeRunStore(runStoreConfig)}`);
      log(`workflows:   ${names}`);
    }
    log(`live lane: ${describeLane(live, liveConfig.redisUrl)}`);
    if (sdkMetricsAddress) {
      log(
        sdkMetricsServed
          ? `Temporal SDK metrics: http://${sdkMetricsAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/metrics`
          : 'warning: TEMPORAL_SDK_METRICS_PORT is ignored: the Temporal SDK runtime of this process was set up before, without it.',
      );
    }
    log(`tracing: ${describeTracing(tracing)}`);
    if (role !== 'api' && !env.OPENAI_API_KEY) {
      log('warning: OPENAI_API_KEY is not set: runs will fail at their first model call until it is set (then retry them).');
    }
    return { apiUrl: api?.url, webUiUrl, temporalAddress: config.address, stop };
  }
}

/**
 * Serves until SIGINT / SIGTERM, then stops everything cleanly: see `RunningOS.stop`. A second
 * signal while stopping ends the process at once (the default action).
 */
export async function serveUntilSignal(os: AgentOS, role: Role = 'all'): Promise<void> {
  // Listen first: a Ctrl-C while starting up must stop whatever has started by then.
  const signalled = new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  let running: RunningOS;
  try {
    running = await os.serve(role);
  } catch (err) {
    // A process that cannot start says why in one line (its parts started so far are stopped by serve).
    console.error(`could not start (${role}): ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  await signalled;
  console.log('stopping ...');
  await running.stop();
}

function describeRunStore(config: RunStoreConfig): string {
  return config.store === 'sqlite' ? `SQLite at ${config.path}` : `PostgreSQL at ${redactedUrl(config.connectionString)}`;
}

function describeLane(lane: LiveLane, redisUrl: string | undefined): string {
  switch (lane.kind) {
    case 'memory':
      return 'in memory (token deltas reach the API of this process only; set REDIS_URL to share them between processes)';
    case 'redis':
      return `Redis at ${redactedUrl(redisUrl ?? '')}`;
    case 'off':
      return 'off (token deltas reach clients through the run log)';
  }
}

function describeTracing(tracing: Tracing | undefined): string {
  if (!tracing) return 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to export traces)';
  return `OTLP ${tracing.config.protocol} to ${tracing.config.tracesUrl} as ${tracing.config.serviceName}`;
}
