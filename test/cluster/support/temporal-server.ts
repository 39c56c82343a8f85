/**
 * The real Temporal server for the cluster suite, as an operator runs it: the binaries built from
 * Temporal's Go module at the pinned release (scripts/build-temporal-server.sh, cached in
 * .tools/temporal-server/<version>/), its store and SQL visibility schemas set up on PostgreSQL by
 * `temporal-sql-tool`, its configuration rendered by the server from deploy/temporal/config.yaml and
 * the environment (every port a free one on 127.0.0.1), dynamic config from
 * deploy/temporal/dynamicconfig.yaml, then the namespace and our search attributes registered with
 * the Temporal CLI (`temporal operator namespace create`, `temporal operator search-attribute create`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { RUN_SEARCH_ATTRIBUTES } from '../../../src/contracts/search-attributes.ts';
import { createServer } from 'node:net';
import { findTemporalCli, freePort } from '../../../src/dev-server/temporal-cli.ts';
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
  output(): string;
  /** Stops the server (SIGTERM, as an operator's restart) and starts it again on the same ports and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** `temporal-sql-tool` against one database: create it, then its schema at the release's newest version. */
async function setUpSchema(port: number, database: string, schema: 'temporal' | 'visibility'): Promise<void> {
  const base = ['--ep', '127.0.0.1', '-p', String(port), '-u', 'postgres', '--pl', 'postgres12', '--db', database];
  for (const args of [['create'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', `postgresql/v12/${schema}`]]) {
    try {
      await run(TEMPORAL_SQL_TOOL, [...base, ...args], { timeout: 120_000 });
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed:\n${stdout}${stderr}`, { cause: err });
    }
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
  await setUpSchema(postgresPort, 'temporal', 'temporal');
  await setUpSchema(postgresPort, 'temporal_visibility', 'visibility');
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
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(postgresPort),
    POSTGRES_USER: 'postgres',
    BIND_ON_IP: '127.0.0.1',
    PROMETHEUS_ENDPOINT: `127.0.0.1:${metricsPort}`,
    DYNAMIC_CONFIG_FILE_PATH: join(ROOT, 'deploy/temporal/dynamicconfig.yaml'),
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  };
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  let started: StartedProcess | undefined;
  const start = async () => {
    started = await startProcess({
      command: TEMPORAL_SERVER,
      args: ['--config-file', join(ROOT, 'deploy/temporal/config.yaml'), '--allow-no-auth', 'start'],
      env,
      cwd: ROOT,
      ready: 'Processing config file as template',
    });
    await waitUntilServing(address, () => started!.output());
  };
  await start();
  try {
    await registerNamespace(address);
  } catch (err) {
    await killProcess(started!.child);
    throw err;
  }
  return {
    address,
    namespace: NAMESPACE,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    output: () => started?.output() ?? '',
    async restart() {
      await killProcess(started!.child, 'SIGTERM', 30_000);
      await start();
    },
    stop: () => killProcess(started!.child, 'SIGTERM', 30_000),
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

/** As an operator would, with the Temporal CLI: the namespace, then our search attributes on it. */
async function registerNamespace(address: string): Promise<void> {
  const cli = findTemporalCli();
  const temporal = async (args: string[]) => {
    try {
      return (await run(cli, [...args, '--address', address], { timeout: 30_000 })).stdout;
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`temporal ${args.join(' ')}: ${stdout}${stderr}`, { cause: err });
    }
  };
  await temporal(['operator', 'namespace', 'create', '--namespace', NAMESPACE, '--retention', '72h']).catch((err: Error) => {
    if (!/already (exists|registered)/i.test(err.message)) throw err;
  });
  // All Keyword: RUN_SEARCH_ATTRIBUTES (src/contracts/search-attributes.ts) has no other type.
  const names = RUN_SEARCH_ATTRIBUTES.flatMap((key) => ['--name', key.name]);
  // The namespace reaches every service's cache within seconds; until then the frontend may not know it.
  await waitUntil(
    'the search attributes to be registered',
    () =>
      temporal(['operator', 'search-attribute', 'create', '--namespace', NAMESPACE, ...names, '--type', 'Keyword']).catch((err: Error) => {
        if (/already exists/i.test(err.message)) return 'registered';
        throw err;
      }),
    { timeoutMs: 30_000, intervalMs: 1_000 },
  );
  await waitUntil(
    'the search attributes to be listed',
    async () => {
      const listed = await temporal(['operator', 'search-attribute', 'list', '--namespace', NAMESPACE]);
      if (RUN_SEARCH_ATTRIBUTES.every((key) => listed.includes(key.name))) return true;
      throw new Error(`listed so far:\n${listed}`);
    },
    { timeoutMs: 20_000, intervalMs: 1_000 },
  );
}
