/**
 * The real Temporal server for the cluster suite, as an operator runs it: the binaries built from
 * Temporal's Go module at the pinned release (scripts/build-temporal-server.sh, cached in
 * .tools/temporal-server/<version>/), its store and SQL visibility schemas set up on PostgreSQL by
 * deploy/temporal/setup-schema.sh (`temporal-sql-tool`), its configuration rendered by the server
 * from deploy/temporal/config.yaml and the environment (every port a free one on 127.0.0.1),
 * dynamic config from deploy/temporal/dynamicconfig.yaml, then the namespace and our search
 * attributes registered by deploy/temporal/register-namespace.sh (the Temporal CLI): the scripts
 * docker-compose.yml's one-shot services run.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { createServer } from 'node:net';
import { findTemporalCli, freePort, startDevServer } from '../../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from '../../support/processes.ts';
import type { StartedProcess } from '../../support/processes.ts';
import { waitUntil } from '../../support/wait.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const TEMPORAL_VERSION = readFileSync(join(ROOT, 'deploy/temporal/VERSION'), 'utf8').trim();
const BIN_DIR = join(ROOT, '.tools/temporal-server', TEMPORAL_VERSION);
export const TEMPORAL_SERVER = join(BIN_DIR, 'temporal-server');
export const TEMPORAL_SQL_TOOL = join(BIN_DIR, 'temporal-sql-tool');
const NAMESPACE = 'default';

/** Why the server cannot run here, or undefined when it can. */
export function temporalServerMissing(): string | undefined {
  if (existsSync(TEMPORAL_SERVER) && existsSync(TEMPORAL_SQL_TOOL)) return undefined;
  return `Temporal ${TEMPORAL_VERSION} is not built in ${BIN_DIR}: run bash scripts/build-temporal-server.sh (npm run test:cluster does)`;
}

export interface TemporalServer {
  address: string;
  namespace: string;
  /** The server's Prometheus metrics. */
  metricsUrl: string;
  /** The server process now (another after a restart). */
  pid(): number;
  output(): string;
  /** Stops the server (SIGTERM, as an operator's restart) and starts it again on the same ports and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** One of deploy/temporal/'s operator scripts (what docker-compose.yml's one-shot services run), with `env`. */
async function operatorScript(script: 'setup-schema.sh' | 'register-namespace.sh', env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run('sh', [join(ROOT, 'deploy/temporal', script)], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 180_000 });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`deploy/temporal/${script} failed:\n${stdout}${stderr}`, { cause: err });
  }
}

/**
 * A free port Temporal can record: its SQL schema keeps the services' ports in `cluster_membership`
 * as a smallint, so a port of the ephemeral range (above 32767, what the OS hands out for port 0)
 * fails the server at start ("value out of range for type smallint").
 */
const taken = new Set<number>();
async function smallintPort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port) || !(await canListen(port))) continue;
    taken.add(port);
    return port;
  }
  throw new Error('no free port below 32768 for the Temporal server');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function startTemporalServer(postgresPort: number): Promise<TemporalServer> {
  const missing = temporalServerMissing();
  if (missing) throw new Error(missing);
  // The server's own names for the connection (deploy/temporal/config.yaml reads them too).
  const database = { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(postgresPort), POSTGRES_USER: 'postgres' };
  await operatorScript('setup-schema.sh', { ...database, TEMPORAL_SQL_TOOL });
  const ports = {
    FRONTEND_GRPC_PORT: await smallintPort(),
    FRONTEND_HTTP_PORT: await smallintPort(),
    FRONTEND_MEMBERSHIP_PORT: await smallintPort(),
    HISTORY_GRPC_PORT: await smallintPort(),
    HISTORY_MEMBERSHIP_PORT: await smallintPort(),
    MATCHING_GRPC_PORT: await smallintPort(),
    MATCHING_MEMBERSHIP_PORT: await smallintPort(),
    WORKER_GRPC_PORT: await smallintPort(),
    WORKER_MEMBERSHIP_PORT: await smallintPort(),
  };
  const metricsPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: process.env.TEMPORAL_SERVER_LOG_LEVEL ?? 'warn',
    ...database,
    BIND_ON_IP: '127.0.0.1',
    PROMETHEUS_ENDPOINT: `127.0.0.1:${metricsPort}`,
    // As docker-compose.yml's temporal service has them.
    TEMPORAL_SERVER_CONFIG_FILE_PATH: join(ROOT, 'deploy/temporal/config.yaml'),
    DYNAMIC_CONFIG_FILE_PATH: join(ROOT, 'deploy/temporal/dynamicconfig.yaml'),
    TEMPORAL_ALLOW_NO_AUTH: 'true',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  };
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  let started: StartedProcess | undefined;
  const start = async () => {
    started = await startProcess({
      command: TEMPORAL_SERVER,
      args: ['start'],
      env,
      cwd: ROOT,
      ready: 'Processing config file as template',
    });
    await waitUntilServing(address, () => started!.output());
  };
  await start();
  try {
    await operatorScript('register-namespace.sh', { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_CLI_PATH: findTemporalCli() });
  } catch (err) {
    await killProcess(started!.child);
    throw err;
  }
  return {
    address,
    namespace: NAMESPACE,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    pid: () => started!.child.pid!,
    output: () => started?.output() ?? '',
    async restart() {
      await killProcess(started!.child, 'SIGTERM', 30_000);
      await start();
    },
    stop: () => killProcess(started!.child, 'SIGTERM', 30_000),
  };
}

/**
 * The development server (`temporal server start-dev`, in memory, as `npm start` runs it) in the
 * real server's place, to compare the two on the same topology (bench/cluster-throughput.ts).
 * Its `default` namespace exists from the start, and our processes register the search attributes
 * when they start, as they do on any server; it cannot restart, its data being in memory.
 */
export async function startDevTemporal(): Promise<TemporalServer> {
  const server = await startDevServer({ namespace: NAMESPACE });
  return {
    address: server.address,
    namespace: NAMESPACE,
    metricsUrl: server.metricsUrl,
    pid: () => server.process.pid!,
    // Started with `--log-level warn`, its output is not kept (see src/dev-server/temporal-cli.ts).
    output: () => '',
    restart: () => Promise.reject(new Error('the dev server keeps its data in memory: it cannot restart')),
    stop: () => server.stop(),
  };
}

/** Until the frontend answers and the system namespace is up (history and matching joined the ring). */
async function waitUntilServing(address: string, output: () => string): Promise<void> {
  try {
    await waitUntil(
      `the Temporal server at ${address} to serve`,
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'temporal-system' });
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nThe server said:\n${output()}`, { cause: err });
  }
}
