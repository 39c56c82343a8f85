/**
 * Everything in one process tree, like Agno's `AgentOS({ workflows }).serve()`: a Temporal dev
 * server (unless TEMPORAL_ADDRESS points at one), a worker and the HTTP API for your workflows.
 *
 *   import { AgentOS } from 'durable-agents';
 *   await new AgentOS({ workflows: [myWorkflow] }).serve();
 */
import { join } from 'node:path';
import { temporalConfigFromEnv } from '../engine/config.ts';
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
import type { WorkflowDefinition } from '../definitions/workflow.ts';
import { liveLaneConfigFromEnv, openLiveLane, setDefaultLiveLane } from '../live/config.ts';
import type { LiveLane } from '../live/lane.ts';
import { redactedUrl } from '../live/redis-lane.ts';
import { createWorker } from '../worker/create-worker.ts';
import { openRunStore, runStoreConfigFromEnv } from '../run-store/config.ts';
import type { RunStoreConfig } from '../run-store/config.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { installSdkRuntime } from '../worker/sdk-runtime.ts';
import type { RunningWorker } from '../worker/create-worker.ts';

export interface AgentOSOptions {
  workflows: WorkflowDefinition[];
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

export class AgentOS {
  readonly options: AgentOSOptions;

  constructor(options: AgentOSOptions) {
    if (!options?.workflows?.length) throw new Error('AgentOS needs at least one workflow.');
    this.options = options;
  }

  async serve(role: Role = 'all'): Promise<RunningOS> {
    const log = this.options.log ?? ((line: string) => console.log(line));
    installSdkRuntime();
    const env = process.env;
    const config = { ...temporalConfigFromEnv(), ...this.options.temporal };
    // One data plane for the worker and the API: both must read the claims the other writes.
    const dataPlane = this.options.dataPlane ?? dataPlaneConfigFromEnv(env);
    const names = this.options.workflows.map((workflow) => `${workflow.name} (${workflow.id})`).join(', ');
    let devServer: DevServer | undefined;
    let worker: RunningWorker | undefined;
    let api: ApiServer | undefined;
    let engine: Engine | undefined;
    let runStore: RunStore | undefined;
    const runStoreConfig = this.options.runStore ?? runStoreConfigFromEnv(env);
    // One lane for the worker, the API and in-process streams: in memory, all-in-one needs no broker.
    const liveConfig = liveLaneConfigFromEnv(env);
    const live = this.options.live ?? openLiveLane(liveConfig);
    setDefaultLiveLane(live);
    const stop = async () => {
      await api?.shutdown();
      await worker?.shutdown();
      await engine?.close();
      await runStore?.close();
      await devServer?.stop();
      if (!this.options.live) await live.close();
    };
    try {
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
        });
        config.address = devServer.address;
      }
      // Workers write the runs' committed events and rows there, the API reads ended runs from it (see docs/adr/0012-run-store-writes.md).
      runStore = await openRunStore(runStoreConfig);
      if (role !== 'api') {
        worker = await createWorker({ workflows: this.options.workflows, ...config, dataPlane, live, runStore });
        void worker.run();
        log(`worker ready: task queue ${config.taskQueue} on ${config.address} (namespace ${config.namespace}), workflows: ${names}`);
      }
      if (role !== 'worker') {
        engine = await Engine.connect({ ...config, dataPlane, runStore });
        const settings = apiSettingsFromEnv(env);
        api = await serveApi({
          engine,
          workflows: this.options.workflows,
          authenticate: this.options.authenticate ?? authFromEnv(env),
          namespace: config.namespace,
          webUiUrl: devServer?.uiUrl ?? settings.webUiUrl,
          corsOrigins: settings.corsOrigins,
          listenBacklog: settings.listenBacklog,
          shutdownGraceMs: settings.shutdownGraceMs,
          blobs: openBlobStore(dataPlane),
          live,
          port: this.options.port ?? Number(env.PORT || 7777),
          hostname: this.options.host ?? env.HOST ?? '0.0.0.0',
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
  const running = await os.serve(role);
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
