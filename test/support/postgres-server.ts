/**
 * A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` (installed by
 * scripts/setup.sh), a cluster made by `initdb` in a temporary folder, `postgres` started on a
 * free loopback port with its unix socket in that folder. `postgres` is run directly rather than
 * through `pg_ctl`, which would detach it: as our child it dies with the test process
 * (processes.ts). The folder is deleted on `stop()` and, whatever happened, on exit.
 *
 * PostgreSQL refuses to run as root: when the tests are root, the cluster belongs to the
 * `postgres` system user and the server runs as it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from './processes.ts';

export interface PostgresServer {
  port: number;
  /** The postmaster now (another after a restart); its backends are its children. */
  pid(): number;
  /** A new, empty database; its connection string. */
  createDatabase(name?: string): Promise<string>;
  /** Shuts the server down (fast shutdown: clients are cut off) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The folder of `initdb` and `postgres`: `POSTGRES_BIN_DIR`, else Debian's newest, else `initdb` on PATH. */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  if (env.POSTGRES_BIN_DIR) return has(env.POSTGRES_BIN_DIR) ? env.POSTGRES_BIN_DIR : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (has(join(debian, version, 'bin'))) return join(debian, version, 'bin');
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const initdb = join(dir, 'initdb');
    if (dir && existsSync(initdb) && has(dirname(realpathSync(initdb)))) return dirname(realpathSync(initdb));
  }
  return undefined;
}

/** Why no PostgreSQL server can be started here, or undefined when one can. */
export function postgresMissing(): string | undefined {
  if (!findPostgresBinDir()) return 'PostgreSQL (initdb, postgres) is not installed: run scripts/setup.sh, or set POSTGRES_BIN_DIR';
  if (process.getuid?.() === 0 && !serverUser()) return 'the tests run as root and there is no `postgres` user to run PostgreSQL as';
  return undefined;
}

/** The user the server runs as when we are root (PostgreSQL refuses root); undefined otherwise. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

export interface PostgresServerOptions {
  /** Flush to disk as production does; default off (tests need no durability across a machine crash). */
  fsync?: boolean;
  /** Server settings (`-c name=value`), e.g. `{ max_connections: '300' }`. */
  settings?: Record<string, string>;
}

export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error(postgresMissing());
  const user = serverUser();
  const folder = mkdtempSync(join(tmpdir(), 'run-store-pg-'));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  process.once('exit', removeFolder);
  try {
    if (user) chownSync(folder, user.uid, user.gid);
    const data = join(folder, 'data');
    await promisify(execFile)(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { uid: user?.uid, gid: user?.gid, timeout: 60_000 });
    const port = await freePort();
    const fsync = options.fsync ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
    const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
    const start = () =>
      startProcess({
        command: join(bin, 'postgres'),
        args: ['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', ...fsync, ...settings],
        env: { ...process.env, LC_ALL: 'C' },
        ready: 'database system is ready to accept connections',
        readyTimeoutMs: 30_000,
        user,
      });
    let started = await start();
    let databases = 0;
    return {
      port,
      pid: () => started.child.pid!,
      async createDatabase(name = `store_${++databases}`) {
        const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        } finally {
          await admin.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async restart() {
        // SIGINT: PostgreSQL's fast shutdown (SIGKILL after 10 s).
        await killProcess(started.child, 'SIGINT');
        started = await start();
      },
      async stop() {
        try {
          // SIGINT: PostgreSQL's fast shutdown (SIGKILL after 10 s).
          await killProcess(started.child, 'SIGINT');
        } finally {
          removeFolder();
          process.removeListener('exit', removeFolder);
        }
      },
    };
  } catch (err) {
    removeFolder();
    process.removeListener('exit', removeFolder);
    throw err;
  }
}
