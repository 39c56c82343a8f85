/**
 * An API process of its own for memory benchmarks: `node <entry>` (by default the real API entry
 * point, `src/entrypoints/server.ts`) as a child, so that its memory is not mixed with the
 * worker's, the fakes' or the benchmark's. A probe loaded before the server answers an IPC
 * message with its heap after a forced GC; RSS comes from /proc/<pid>/status.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../src/dev-server/temporal-cli.ts';
import { processMemoryMb } from './stats.ts';

const MB = 1024 * 1024;
const API_ENTRY = fileURLToPath(new URL('../src/entrypoints/server.ts', import.meta.url));
// Loaded into the child before the server: answers a message with its memory after a full GC.
const PROBE = `process.on('message', () => { globalThis.gc(); const m = process.memoryUsage(); process.send({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external }); });`;

export interface ApiMemory {
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
}

export interface ApiChild {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Memory in MB after a forced GC in the child. */
  measure(): Promise<ApiMemory>;
  /** RSS in MB right now, no GC (for peaks). */
  rss(): number;
  close(): Promise<void>;
}

/** Starts the API child with `env` (its Temporal, task queue, blob store) and waits for /health. */
export async function startApiChild(env: NodeJS.ProcessEnv, entry = API_ENTRY): Promise<ApiChild> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...env, PORT: String(port), HOST: '127.0.0.1' };
  delete childEnv.OS_SECURITY_KEY;
  delete childEnv.OS_USER_KEYS;
  const child = spawn(process.execPath, ['--expose-gc', '--import', `data:text/javascript,${encodeURIComponent(PROBE)}`, entry], {
    cwd: new URL('..', import.meta.url),
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, delay(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (let ready = false, tries = 0; !ready; tries++) {
      if (exited || tries >= 300) throw new Error('the API child did not answer /health within 60 s');
      await delay(200);
      ready = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    pid: child.pid!,
    url,
    async measure() {
      type Reply = { heapUsed: number; heapTotal: number; external: number };
      const reply = new Promise<Reply>((resolve) => child.once('message', (m) => resolve(m as Reply)));
      child.send('measure');
      const { heapUsed, heapTotal, external } = await reply;
      return { rss: processMemoryMb(child.pid!, 'VmRSS'), heap: heapUsed / MB, heapTotal: heapTotal / MB, external: external / MB };
    },
    rss: () => processMemoryMb(child.pid!, 'VmRSS'),
    close,
  };
}
