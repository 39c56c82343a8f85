/**
 * The Temporal dev server killed (SIGKILL) under a running API: reading a run and starting one
 * answer 503 at once, saying Temporal is unreachable and where, instead of after the client's
 * 20 s of retries; once the server is back on the same port and data, the same API (not
 * restarted) reads and starts runs again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { freePort, startDevServer } from '../../src/dev-server/temporal-cli.ts';
import type { DevServer } from '../../src/dev-server/temporal-cli.ts';
import { Engine } from '../../src/engine/engine.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { serveApi } from '../../src/server/serve.ts';
import type { ApiServer } from '../../src/server/serve.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { installSdkRuntime } from '../../src/worker/sdk-runtime.ts';
import { Teardown } from '../support/teardown.ts';
import { waitUntil } from '../support/wait.ts';

installSdkRuntime('ERROR');
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
/** The test's own guard on each request while Temporal is down: the client's retries took about 20 s. */
const GUARD_MS = 5_000;

const teardown = new Teardown();
let dir: string;
let server: DevServer | undefined;
let api: ApiServer;
let port: number;
let dbFile: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-unreachable-'));
  teardown.add('the data directory', () => rmSync(dir, { recursive: true, force: true }));
  // Whichever dev server runs at the end (the first or its restart) is stopped.
  teardown.add('the Temporal dev server', () => server?.stop());
  port = await freePort();
  dbFile = join(dir, 'temporal.db');
  server = await startDevServer({ port, dbFile });
  const taskQueue = 'unreachable-test';
  const worker = await teardown.start('the worker', createWorker({ workflows: [echo], address: server.address, taskQueue }), (w) => w.shutdown());
  worker.run().catch((err: unknown) => console.error('The worker stopped with an error:', err));
  const engine = await teardown.start('the engine', Engine.connect({ address: server.address, taskQueue }), (e) => e.close());
  api = await teardown.start('the API', serveApi({ engine, workflows: [echo], blobs: openBlobStore(dataPlaneConfigFromEnv(process.env)), port: 0, hostname: '127.0.0.1' }), (s) => s.close());
});
after(() => teardown.run());

const runsUrl = () => `${api.url}/workflows/echo/runs`;
const start = (message: string, signal?: AbortSignal) =>
  fetch(runsUrl(), { method: 'POST', body: JSON.stringify({ message, stream: false, background: true }), headers: { 'content-type': 'application/json' }, signal });

async function completedRun(message: string): Promise<string> {
  const response = await start(message);
  assert.equal(response.status, 202);
  const { run_id } = (await response.json()) as { run_id: string };
  await waitUntil(`run ${run_id} to complete`, async () => ((await (await fetch(`${runsUrl()}/${run_id}`)).json()) as { status: string }).status === 'COMPLETED');
  return run_id;
}

it('answers 503 at once while Temporal is unreachable, and serves again once it is back', { timeout: 180_000 }, async () => {
  const before = await completedRun('before the outage');
  const address = server!.address;

  server!.process.kill('SIGKILL');
  await server!.stop(); // waits for the exit
  const unreachable = new RegExp(`^Temporal is unreachable at ${address.replaceAll('.', '\\.')}: .*ECONNREFUSED`);
  const outageStarted = performance.now();
  const read = await fetch(`${runsUrl()}/${before}`, { signal: AbortSignal.timeout(GUARD_MS) });
  const readMs = performance.now() - outageStarted;
  assert.equal(read.status, 503);
  assert.match(((await read.json()) as { detail: string }).detail, unreachable);
  const startSent = performance.now();
  const started = await start('during the outage', AbortSignal.timeout(GUARD_MS));
  const startMs = performance.now() - startSent;
  assert.equal(started.status, 503);
  assert.match(((await started.json()) as { detail: string }).detail, unreachable);

  server = await startDevServer({ port, dbFile });
  const restarted = performance.now();
  // The API reconnects by itself: the run read before the outage is read again, and new runs start.
  await waitUntil('the API to read the run again', async () => (await fetch(`${runsUrl()}/${before}`)).status === 200, { timeoutMs: 60_000 });
  const output = (await (await fetch(`${runsUrl()}/${before}`)).json()) as { status: string; content: string };
  assert.deepEqual([output.status, output.content], ['COMPLETED', 'echo: before the outage']);
  const backMs = performance.now() - restarted;
  await completedRun('after the outage');
  console.log(`temporal-unreachable: 503 for a read in ${readMs.toFixed(0)} ms, for a start in ${startMs.toFixed(0)} ms; the run read again ${backMs.toFixed(0)} ms after the restart`);
});
