/**
 * The API process killed with SIGKILL and restarted mid-run: a client streaming the run's events
 * (our TypeScript client, which reconnects with Last-Event-ID) loses nothing and sees nothing twice.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { ENTRYPOINT, startProcess } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';

let h: Harness;
const children: ChildProcess[] = [];

before(async () => {
  h = await startHarness();
  await h.startWorker([contentCreationWorkflow]);
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

async function startApiProcess(port: number): Promise<ChildProcess> {
  const started = await startProcess({ args: [ENTRYPOINT('server')], env: { ...h.env, PORT: String(port), HOST: '127.0.0.1' }, ready: 'API ready' });
  children.push(started.child);
  return started.child;
}

it('a streaming client loses no event when the API process is killed and restarted mid-run', async () => {
  // The planner streams slowly, so the run is mid-stream when the API dies.
  h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 150 } : contentCreationReply(req)));
  const port = await freePort();
  let api = await startApiProcess(port);
  const client = new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` });
  const { run_id } = await client.startRun('content-creation-workflow', { message: 'AI trends in 2024' });
  const received: StreamedEvent[] = [];
  let restarted = false;
  for await (const event of client.events('content-creation-workflow', run_id)) {
    received.push(event);
    if (!restarted && event.event === 'RunContent' && event.agent_name === 'Content Planner') {
      restarted = true;
      api.kill('SIGKILL');
      await once(api, 'exit');
      api = await startApiProcess(port);
    }
  }
  assert.ok(restarted, 'the API was restarted mid-run');
  assert.deepEqual(received.map((e) => e.event_index), received.map((_, i) => i), 'every event once, in order');
  assert.equal(received.at(-1)?.event, 'WorkflowCompleted');
  assert.equal(received.filter((e) => e.event === 'RunContent').filter((e) => e.agent_name === 'Content Planner').map((e) => e.content).join(''), CONTENT_PLAN);
  const run = await client.getRun('content-creation-workflow', run_id);
  assert.equal(run.status, 'COMPLETED');
});
