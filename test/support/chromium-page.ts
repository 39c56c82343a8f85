/**
 * A page in headless Chromium (Debian's package), driven over the DevTools protocol with Node's
 * own WebSocket: open a URL, wait until the page's text says something, read its text, take a
 * screenshot. For tests of pages we serve or link to (the Temporal Web UI); no browser
 * automation library needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcess, trackChild } from './processes.ts';
import { waitUntil } from './wait.ts';

export interface ChromiumPage {
  /** Navigates and resolves once the load event fired. */
  open(url: string): Promise<void>;
  /** The page's visible text (`document.body.innerText`). */
  text(): Promise<string>;
  /** Evaluates `expression` in the page; its value, by value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until the page's text contains `what`; its text then. */
  waitForText(what: string | RegExp, timeoutMs?: number): Promise<string>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** Chromium: CHROMIUM_PATH, or the first of Debian's and others' names on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return undefined;
}

export async function openChromium(chromium: string, size = { width: 1400, height: 1000 }): Promise<ChromiumPage> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-page-'));
  const child = trackChild(
    spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', `--window-size=${size.width},${size.height}`, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
      stdio: 'ignore',
    }),
  );
  const close = async () => {
    await killProcess(child).catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    // Chromium writes the port it chose, and its browser target's path, into the profile.
    const portFile = join(profile, 'DevToolsActivePort');
    const port = await waitUntil('Chromium to listen for DevTools', () => (existsSync(portFile) ? readFileSync(portFile, 'utf8').split('\n')[0] || undefined : undefined), { timeoutMs: 30_000 });
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
    const target = targets.find((candidate) => candidate.type === 'page');
    if (!target) throw new Error('Chromium opened no page');
    const devtools = await connectDevTools(target.webSocketDebuggerUrl);
    await devtools.send('Page.enable');
    const evaluate = async <T>(expression: string): Promise<T> => {
      const { result, exceptionDetails } = (await devtools.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { text: string } };
      if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.text}`);
      return result.value;
    };
    const text = () => evaluate<string>('document.body ? document.body.innerText : ""');
    return {
      async open(url) {
        const loaded = devtools.next('Page.loadEventFired');
        await devtools.send('Page.navigate', { url });
        await loaded;
      },
      text,
      evaluate,
      async waitForText(what, timeoutMs = 60_000) {
        const found = (page: string) => (typeof what === 'string' ? page.includes(what) : what.test(page));
        return waitUntil(`the page to say ${what}`, async () => {
          const page = await text();
          return found(page) ? page : undefined;
        }, { timeoutMs, intervalMs: 250 });
      },
      async screenshot() {
        const { data } = (await devtools.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
        return Buffer.from(data, 'base64');
      },
      async close() {
        devtools.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

interface DevTools {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** The next event of this name. */
  next(method: string): Promise<unknown>;
  close(): void;
}

async function connectDevTools(url: string): Promise<DevTools> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not reach Chromium's DevTools at ${url}`)), { once: true });
  });
  let nextId = 0;
  const calls = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  const waiters = new Map<string, ((params: unknown) => void)[]>();
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
    if (data.id !== undefined) {
      const call = calls.get(data.id);
      calls.delete(data.id);
      if (data.error) call?.reject(new Error(data.error.message));
      else call?.resolve(data.result);
    } else if (data.method) {
      const waiting = waiters.get(data.method) ?? [];
      waiters.delete(data.method);
      for (const resolve of waiting) resolve(data.params);
    }
  });
  return {
    send(method, params = {}) {
      const id = ++nextId;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => calls.set(id, { resolve, reject }));
    },
    next(method) {
      return new Promise((resolve) => waiters.set(method, [...(waiters.get(method) ?? []), resolve]));
    },
    close: () => socket.close(),
  };
}
