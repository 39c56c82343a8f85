/**
 * The whole production topology on loopback, as docker-compose.yml describes it: PostgreSQL (a
 * throwaway cluster) holding Temporal's store, its SQL visibility and our run store (a database of
 * its own); the real Temporal server; Redis for the live lane; moto's S3 server as the blob store;
 * two workers and two API processes of ours started as users start them (`npm run worker`,
 * `npm run server`, or a user's own app script with its role); nginx in front of the APIs with
 * deploy/nginx.conf's settings. The model and the tools' APIs are the suite's loopback fakes.
 *
 * Whatever fails, everything started is stopped (Teardown, newest first, each step with a
 * deadline), and every child dies with the test process (../../support/processes.ts). Each
 * process's output is written to .tools/cluster-logs/<name>/ when the cluster closes.
 *
 * bench/cluster-throughput.ts starts it too, once as it is and once with the Temporal dev server
 * in the real server's place (`temporal: 'dev-server'`), to compare the two.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../../src/dev-server/temporal-cli.ts';
import { startFakeHackerNews } from '../../fakes/hackernews.ts';
import { startFakeOpenAI } from '../../fakes/openai.ts';
import type { FakeOpenAI } from '../../fakes/openai.ts';
import { startFakeYahooFinance } from '../../fakes/yahoo-finance.ts';
import { redisMissing, startRedis } from '../../live/support/redis-server.ts';
import type { RedisServer } from '../../live/support/redis-server.ts';
import { postgresMissing, startPostgres } from '../../support/postgres-server.ts';
import type { PostgresServer } from '../../support/postgres-server.ts';
import { killProcess, startProcess } from '../../support/processes.ts';
import type { StartedProcess } from '../../support/processes.ts';
import { findMotoServer, startS3Server } from '../../support/s3-server.ts';
import type { S3Server } from '../../support/s3-server.ts';
import { Teardown } from '../../support/teardown.ts';
import { nginxMissing, startNginx } from './nginx.ts';
import type { Nginx } from './nginx.ts';
import { ROOT, startDevTemporal, startTemporalServer, temporalServerMissing } from './temporal-server.ts';
import { startWebUi, webUiMissing } from './web-ui.ts';
import type { WebUi } from './web-ui.ts';
import type { TemporalServer } from './temporal-server.ts';

export const TASK_QUEUE = 'durable-agents';

/** Why the cluster cannot run here, or undefined when it can. */
export function clusterMissing(): string | undefined {
  const missing = [temporalServerMissing(), webUiMissing(), postgresMissing(), redisMissing(), nginxMissing()];
  try {
    findMotoServer();
  } catch (err) {
    missing.push((err as Error).message);
  }
  const reasons = missing.filter(Boolean);
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * One process of ours, in a process group of its own: `npm run worker` or `npm run server`, or,
 * given `app`, that script run with its role as a user's own app runs (`node my-app.ts worker`).
 */
export class OurProcess {
  readonly name: string;
  private readonly role: 'worker' | 'api';
  private readonly env: NodeJS.ProcessEnv;
  private readonly app: string | undefined;
  private started: StartedProcess | undefined;
  private outputs: string[] = [];

  constructor(name: string, role: 'worker' | 'api', env: NodeJS.ProcessEnv, app?: string) {
    this.name = name;
    this.role = role;
    this.env = env;
    this.app = app;
  }

  get child(): ChildProcess {
    return this.started!.child;
  }

  get alive(): boolean {
    return !!this.started && this.started.child.exitCode === null && this.started.child.signalCode === null;
  }

  async start(): Promise<void> {
    this.started = await startProcess({
      ...(this.app ? { command: process.execPath, args: [this.app, this.role] } : { command: 'npm', args: ['run', '--silent', this.role === 'worker' ? 'worker' : 'server'] }),
      env: this.env,
      cwd: ROOT,
      ready: this.role === 'worker' ? 'worker ready' : 'API ready',
      // Workers bundle the workflow code at start: seconds of CPU on a busy machine.
      readyTimeoutMs: 180_000,
      // npm, its shell and node: a signal reaches all of them, as Ctrl-C would.
      detached: true,
    });
  }

  /** The pids of the group (npm, its shell, node): a worker's identity names one of them. */
  pids(): number[] {
    const leader = this.started?.child.pid;
    if (!leader) return [];
    const pids: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // Fields after the command (in parentheses): state, ppid, pgrp, ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === leader) pids.push(Number(entry));
      } catch {
        // Gone meanwhile.
      }
    }
    return pids;
  }

  /** The node process serving the role, the one whose command line names the entry point or the app (`npm run` and its shell only wait for it). */
  servingPid(): number | undefined {
    const script = this.app ?? 'src/entrypoints/';
    return this.pids().find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.includes(script));
      } catch {
        return false; // Gone meanwhile.
      }
    });
  }

  output(): string {
    return [...this.outputs, this.started?.output() ?? ''].join('\n--- restarted ---\n');
  }

  /** SIGKILL to the whole group: the process is gone at once, mid-whatever. */
  async kill(): Promise<void> {
    if (!this.started) return;
    await killProcess(this.started.child, 'SIGKILL');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await killProcess(this.started.child, 'SIGTERM', 20_000);
  }

  async restart(): Promise<void> {
    await this.kill();
    this.outputs.push(this.started?.output() ?? '');
    await this.start();
  }
}

export interface Api {
  url: string;
  /** host:port, as nginx names it in `$upstream_addr`. */
  address: string;
  process: OurProcess;
}

export interface Cluster {
  /** nginx, the one port clients use. */
  proxy: string;
  nginx: Nginx;
  apis: Api[];
  workers: OurProcess[];
  temporal: TemporalServer;
  /** The Temporal Web UI server, on the cluster's Temporal; the APIs link runs to it. */
  webUi: WebUi;
  /** A Temporal client on the cluster's namespace, for what only Temporal knows (who runs an activity). */
  client: Client;
  postgres: PostgresServer;
  redis: RedisServer;
  s3: S3Server;
  openai: FakeOpenAI;
  /** What our processes get, as an operator's environment. */
  env: NodeJS.ProcessEnv;
  /** Starts one more worker, stopped with the cluster. */
  addWorker(): Promise<OurProcess>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** The suite's name: its processes' output is kept in .tools/cluster-logs/<name>/. */
  name: string;
  /** A user's own app script (`node <app> worker|api`) for the workers and APIs; default `npm run worker` / `npm run server`. */
  app?: string;
  /** `dev-server`: `temporal server start-dev` (in memory) in the real server's place, all else the same, for comparing the two; default the real server. */
  temporal?: 'server' | 'dev-server';
  log?: (line: string) => void;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { name, app, temporal: temporalKind = 'server', log = (line: string) => console.log(`[cluster ${name}] ${line}`) } = options;
  const teardown = new Teardown();
  const ours: OurProcess[] = [];
  const extras: { name: string; output(): string }[] = [];
  const keepLogs = () => {
    const folder = join(ROOT, '.tools/cluster-logs', name);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (const part of [...ours, ...extras]) writeFileSync(join(folder, `${part.name}.log`), part.output());
  };
  teardown.add('the logs', keepLogs);
  try {
    const begun = Date.now();
    const since = () => `${((Date.now() - begun) / 1000).toFixed(1)} s`;
    const [postgres, redis, s3, openai, hackernews, yahoo] = await teardown.startAll([
      // Temporal's four services each keep pools to its store and visibility, and each of our processes one to the run store.
      teardown.start('PostgreSQL', startPostgres({ settings: { max_connections: '300' } }), (server) => server.stop()),
      teardown.start('Redis', startRedis(), (server) => server.close()),
      teardown.start("moto's S3 server", startS3Server(), (server) => server.stop()),
      teardown.start('the fake OpenAI', startFakeOpenAI(), (fake) => fake.close()),
      teardown.start('the fake Hacker News', startFakeHackerNews(), (fake) => fake.close()),
      teardown.start('the fake Yahoo Finance', startFakeYahooFinance(), (fake) => fake.close()),
    ] as const);
    log(`PostgreSQL on 127.0.0.1:${postgres.port}, Redis ${redis.url}, S3 ${s3.endpoint} (${since()})`);
    const temporal = await teardown.start(
      'the Temporal server',
      temporalKind === 'dev-server' ? startDevTemporal() : startTemporalServer(postgres.port),
      (server) => server.stop(),
    );
    extras.push({ name: 'temporal-server', output: () => temporal.output() });
    const registered = temporalKind === 'server' ? 'namespace and search attributes registered' : 'our processes register the search attributes';
    log(`Temporal ${temporalKind} at ${temporal.address}, ${registered} (${since()})`);
    // The proxy's port first: the Web UI sends payloads to the API's codec through it, as the browser would.
    const proxyPort = await freePort();
    const webUi = await teardown.start('the Temporal Web UI', startWebUi(temporal.address, temporal.namespace, `http://127.0.0.1:${proxyPort}/codec`), (ui) => ui.stop());
    extras.push({ name: 'temporal-ui', output: () => webUi.output() });
    log(`Temporal Web UI at ${webUi.url} (${since()})`);
    const connection = await teardown.start('the Temporal connection', Connection.connect({ address: temporal.address }), (c) => c.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const runStoreUrl = await postgres.createDatabase('durable_agents');
    const dataDir = mkdtempSync(join(tmpdir(), 'cluster-data-'));
    teardown.add('the data folder', () => rmSync(dataDir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      TEMPORAL_UI_URL: webUi.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      HACKERNEWS_API_URL: hackernews.url,
      YAHOO_FINANCE_API_URL: yahoo.url,
      ...(await s3.bucket('durable-agents')),
      BLOB_S3_PATH_STYLE: 'true',
      LIVE_LANE: 'redis',
      REDIS_URL: redis.url,
      RUN_STORE: 'postgres',
      RUN_STORE_DATABASE_URL: runStoreUrl,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
    };
    const workers: OurProcess[] = [];
    const addWorker = async () => {
      const worker = new OurProcess(`worker-${ours.filter((p) => p.name.startsWith('worker')).length + 1}`, 'worker', env, app);
      ours.push(worker);
      teardown.add(worker.name, () => worker.stop());
      await worker.start();
      workers.push(worker);
      return worker;
    };
    const apis: Api[] = [];
    const addApi = async () => {
      const port = await freePort();
      const api = new OurProcess(`api-${apis.length + 1}`, 'api', { ...env, PORT: String(port) }, app);
      ours.push(api);
      teardown.add(api.name, () => api.stop());
      await api.start();
      apis.push({ url: `http://127.0.0.1:${port}`, address: `127.0.0.1:${port}`, process: api });
    };
    // One after the other: each bundles or loads the workflow code, and the machine has 2 cores.
    await addWorker();
    await addWorker();
    log(`two workers ready (${since()})`);
    await addApi();
    await addApi();
    log(`two APIs ready: ${apis.map((api) => api.url).join(', ')} (${since()})`);
    const nginx = await teardown.start('nginx', startNginx(apis.map((api) => api.address), proxyPort), (server) => server.stop());
    extras.push({ name: 'nginx-access', output: () => nginx.accessLog() });
    log(`nginx at ${nginx.url} (${since()})`);
    return { proxy: nginx.url, nginx, apis, workers, temporal, webUi, client, postgres, redis, s3, openai, env, addWorker, close: () => teardown.run() };
  } catch (err) {
    await teardown.runAfterFailure();
    throw err;
  }
}
