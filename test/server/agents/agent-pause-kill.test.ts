/**
 * An agent's run waiting for a person at a tool survives its worker's SIGKILL: the wait is the
 * workflow's, so a worker started afterwards takes the continue, runs the confirmed tool once and
 * ends the run. Real Temporal, real HTTP, a real worker process, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../../src/data-plane/config.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { serveApi } from '../../../src/server/serve.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startHarness } from '../../support/harness.ts';
import type { Harness } from '../../support/harness.ts';
import { postForm } from '../../support/http.ts';
import { killChildren, killProcess, startProcess } from '../../support/processes.ts';
import { desk, deskScript } from './support/desk-agent.ts';

const WORKER = fileURLToPath(new URL('./support/desk-worker.ts', import.meta.url));

let h: Harness;
let api: ApiServer;

const startWorker = async () => (await startProcess({ args: [WORKER], env: h.env, ready: 'worker ready' })).child;

before(async () => {
  h = await startHarness();
  api = await serveApi({
    engine: h.engine,
    workflows: [],
    runnables: servedRunnables({ agents: [desk] }),
    port: 0,
    hostname: '127.0.0.1',
    blobs: openBlobStore(dataPlaneConfigFromEnv(h.env)),
  });
  h.openai.setHandler(deskScript);
});
after(async () => {
  await killChildren();
  await api?.close();
  await h?.close();
});

it('keeps a run paused at a tool through a worker SIGKILL, and continues it on the next worker', async () => {
  const worker = await startWorker();
  const started = await postForm(`${api.url}/agents/desk/runs`, { message: 'delete my notes', stream: 'false' });
  const paused = (await started.json()) as { run_id: string; status: string; tools: Record<string, unknown>[] };
  assert.equal(paused.status, 'PAUSED');
  await killProcess(worker);
  await startWorker();
  const tools = JSON.stringify(paused.tools.map((tool) => ({ ...tool, confirmed: true })));
  const continued = await postForm(`${api.url}/agents/desk/runs/${paused.run_id}/continue`, { tools, stream: 'false' });
  assert.equal(continued.status, 200);
  const done = (await continued.json()) as { status: string; content: string; tools: Record<string, unknown>[] };
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.content, 'Done: Deleted notes.txt');
  assert.equal(done.tools.length, 1, 'the tool ran once');
  assert.equal(h.openai.count(), 2, 'one model call before the pause, one after');
});
