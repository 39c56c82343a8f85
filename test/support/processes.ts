/** Real child processes for crash and restart tests: started, awaited until ready, killed. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const ENTRYPOINT = (name: string) => fileURLToPath(new URL(`../../src/entrypoints/${name}.ts`, import.meta.url));

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
}

export interface StartedProcess {
  child: ChildProcess;
  /** The last few kilobytes of its output. */
  output(): string;
}

export function startProcess(options: ProcessOptions): Promise<StartedProcess> {
  const child = spawn(options.command ?? process.execPath, options.args, {
    env: options.env,
    cwd: options.cwd,
    detached: options.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const isReady = () => (typeof options.ready === 'string' ? out.includes(options.ready) : options.ready.test(out));
  return new Promise((resolve, reject) => {
    // Keep draining the output after it is ready, so the child never blocks on a full pipe.
    const collect = (chunk: Buffer) => {
      out = (out + String(chunk)).slice(-16_000);
      if (isReady()) resolve({ child, output: () => out });
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => reject(new Error(`${options.args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
  });
}

export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
