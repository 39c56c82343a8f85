/**
 * An agent's run waiting for a person at a tool survives its worker's SIGKILL: the wait is the
 * workflow's, so a worker started afterwards takes the continue, runs the confirmed tool once and
 * ends the run. Real Temporal, real HTTP, a real worker process, the fake OpenAI.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { useAgentWorkerProcess } from '../../support/agent-worker-process.ts';
import { postForm } from '../../support/http.ts';
import { killProcess } from '../../support/processes.ts';
import { desk, deskScript } from './support/desk-agent.ts';

const WORKER = fileURLToPath(new URL('./support/desk-worker.ts', import.meta.url));

const served = useAgentWorkerProcess(desk, WORKER, (h) => h.openai.setHandler(deskScript));
const { startWorker } = served;

it('keeps a run paused at a tool through a worker SIGKILL, and continues it on the next worker', async () => {
  const worker = await startWorker();
  const started = await postForm(`${served.api().url}/agents/desk/runs`, { message: 'delete my notes', stream: 'false' });
  const paused = (await started.json()) as { run_id: string; status: string; tools: Record<string, unknown>[] };
  assert.equal(paused.status, 'PAUSED');
  await killProcess(worker);
  await startWorker();
  const tools = JSON.stringify(paused.tools.map((tool) => ({ ...tool, confirmed: true })));
  const continued = await postForm(`${served.api().url}/agents/desk/runs/${paused.run_id}/continue`, { tools, stream: 'false' });
  assert.equal(continued.status, 200);
  const done = (await continued.json()) as { status: string; content: string; tools: Record<string, unknown>[] };
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.content, 'Done: Deleted notes.txt');
  assert.equal(done.tools.length, 1, 'the tool ran once');
  assert.equal(served.harness().openai.count(), 2, 'one model call before the pause, one after');
});
