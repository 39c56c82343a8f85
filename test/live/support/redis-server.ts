/**
 * A real Redis server (Debian's `redis-server`, installed by scripts/setup.sh) on a free loopback
 * port, for the live lane's tests and benchmarks. It dies with the test process (../../support/processes.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { freePort } from '../../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from '../../support/processes.ts';

export interface RedisServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** Kills it (SIGKILL): the broker is gone mid-run. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Why no Redis server can be started here, or undefined when one can. */
export function redisMissing(): string | undefined {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'redis-server is not installed (run scripts/setup.sh)';
  }
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const start = async () =>
    (
      await startProcess({
        command: 'redis-server',
        args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
        env: process.env,
        ready: 'Ready to accept connections',
        readyTimeoutMs: 20_000,
      })
    ).child;
  let child = await start();
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    child,
    kill: () => killProcess(child),
    async restart() {
      await killProcess(child);
      child = await start();
      server.child = child;
    },
    close: () => killProcess(child),
  };
  return server;
}
