/**
 * Real child processes for crash and restart tests: started, awaited until ready, killed.
 *
 * No child outlives the test process: every child started here is registered and SIGKILLed when
 * the process exits, and SIGINT / SIGTERM / SIGHUP (Ctrl-C, or the test runner stopping a file)
 * become an ordinary exit, so these exit hooks run, and so does the one of
 * src/dev-server/temporal-cli.ts that kills the Temporal dev servers.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { withDeadline } from './wait.ts';

export const ENTRYPOINT = (name: string) => fileURLToPath(new URL(`../../src/entrypoints/${name}.ts`, import.meta.url));

/** Children alive now; `group`: the child leads a process group of its own, killed as a whole. */
const children = new Map<ChildProcess, { group: boolean }>();

function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (children.get(child)?.group && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

process.on('exit', () => {
  for (const child of children.keys()) signalChild(child, 'SIGKILL');
});
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
  // The default action would end the process without running 'exit' listeners.
  process.once(signal, () => process.exit(128 + number));
}

/** Registers a child spawned elsewhere, so it dies with the test process. */
export function trackChild(child: ChildProcess, options: { group?: boolean } = {}): ChildProcess {
  children.set(child, { group: options.group ?? false });
  child.once('exit', () => children.delete(child));
  return child;
}

export interface ProcessOptions {
  /** Default: this Node binary. */
  command?: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Text (or pattern) in the output that says the process is ready. */
  ready: string | RegExp;
  cwd?: string;
  /** In a process group of its own, so a signal can reach all of it (as Ctrl-C does). */
  detached?: boolean;
  /** Killed, and the start fails with its output, when not ready within this long; default 60 s. */
  readyTimeoutMs?: number;
  /** Runs as this user (a server that refuses to run as root, started by tests run as root). */
  user?: { uid: number; gid: number };
  /** A pipe to its stdin (`child.stdin`), to tell it things; default none. */
  stdin?: boolean;
}

export interface StartedProcess {
  child: ChildProcess;
  /** The last few kilobytes of its output. */
  output(): string;
}

export function startProcess(options: ProcessOptions): Promise<StartedProcess> {
  const child = trackChild(
    spawn(options.command ?? process.execPath, options.args, {
      env: options.env,
      cwd: options.cwd,
      detached: options.detached,
      uid: options.user?.uid,
      gid: options.user?.gid,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    }),
    { group: options.detached },
  );
  const name = [options.command ?? 'node', ...options.args].join(' ');
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let out = '';
  const isReady = () => (typeof options.ready === 'string' ? out.includes(options.ready) : options.ready.test(out));
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signalChild(child, 'SIGKILL');
      reject(new Error(`${name} ${message}:\n${out}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${readyTimeoutMs} ms (waiting for ${options.ready})`), readyTimeoutMs);
    // Keep draining the output after it is ready, so the child never blocks on a full pipe.
    const collect = (chunk: Buffer) => {
      out = (out + String(chunk)).slice(-16_000);
      if (!settled && isReady()) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
  });
}

/** What each entry point prints once it serves. */
const READY = { worker: 'worker ready', server: 'API ready' } as const;

/** An entry point of src/entrypoints (worker or API) as a child process, resolved once it serves. */
export function startEntrypoint(name: keyof typeof READY, env: NodeJS.ProcessEnv): Promise<StartedProcess> {
  return startProcess({ args: [ENTRYPOINT(name)], env, ready: READY[name] });
}

/** Sends `signal` and waits for the exit; SIGKILL if it has not exited within `timeoutMs`. */
export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  signalChild(child, signal);
  try {
    await withDeadline(`pid ${child.pid} to exit after ${signal}`, exited, timeoutMs);
  } catch (err) {
    if (signal === 'SIGKILL') throw err;
    signalChild(child, 'SIGKILL');
    await withDeadline(`pid ${child.pid} to exit after SIGKILL`, exited, timeoutMs);
  }
}

/** Kills every child still running (for `after` hooks). */
export async function killChildren(): Promise<void> {
  await Promise.all([...children.keys()].map((child) => killProcess(child)));
}
