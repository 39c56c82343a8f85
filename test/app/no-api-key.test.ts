/**
 * `npm start` without OPENAI_API_KEY, as a new user first runs it: it starts anyway and says so,
 * and a run fails at its first model call with a message that says what to do.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { postForm } from '../support/http.ts';
import { startProcess } from '../support/processes.ts';
import { waitUntil } from '../support/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let openai: FakeOpenAI;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let apiUrl: string;
let running: ChildProcess | undefined;

before(async () => {
  // Were the key missing but requests still sent, the fake would count them.
  openai = await startFakeOpenAI();
  dataDir = mkdtempSync(join(tmpdir(), 'durable-agents-no-key-'));
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const { TEMPORAL_ADDRESS: _address, OPENAI_API_KEY: _key, ...inherited } = process.env;
  env = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: 'no-api-key-test',
    OPENAI_BASE_URL: openai.url,
    NO_COLOR: '1',
  };
});

after(async () => {
  const child = running;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await openai?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('starts without OPENAI_API_KEY, warns, and fails a run at its first model call with a clear message', async () => {
  const started = await startProcess({ command: 'npm', args: ['start'], cwd: ROOT, env, detached: true, ready: /^workflows:/m });
  running = started.child;
  await waitUntil('the warning about the missing key', () => /warning: OPENAI_API_KEY is not set/.test(started.output()), { timeoutMs: 10_000 });
  assert.equal(((await (await fetch(`${apiUrl}/health`)).json()) as { status: string }).status, 'ok');

  const response = await postForm(`${apiUrl}/workflows/content-creation-workflow/runs`, { message: 'AI trends in 2024', stream: 'false' });
  assert.equal(response.status, 200);
  const run = (await response.json()) as { status: string; error: string; step_results: unknown[] };
  assert.equal(run.status, 'ERROR');
  assert.match(run.error, /OPENAI_API_KEY is not set on the worker: set it \(or give the model an apiKey\) and retry the run\./);
  assert.deepEqual(run.step_results, [], 'it failed at the first step');
  assert.equal(openai.count(), 0, 'no request went out without a key');
});
