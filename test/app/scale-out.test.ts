/**
 * Scale-out: two worker processes and two API processes against one Temporal server share the
 * load; SIGKILL of one of each loses no run.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { ENTRYPOINT, killProcess, startProcess } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';

const WF = 'content-creation-workflow';
const RUNS = 6;
let h: Harness;
const children: ChildProcess[] = [];

before(async () => {
  h = await startHarness();
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

async function start(entry: string, env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const started = await startProcess({ args: [ENTRYPOINT(entry)], env: { ...h.env, ...env }, ready });
  children.push(started.child);
  return started.child;
}

it('shares runs between two workers and two APIs, and loses none when one of each is killed', async () => {
  // Every model call takes a moment, so runs are in flight on both workers when one dies.
  h.openai.setHandler((req) => ({ ...contentCreationReply(req), delayMs: 250 }) as ReturnType<typeof contentCreationReply>);
  const workers = await Promise.all([start('worker', {}, 'worker ready'), start('worker', {}, 'worker ready')]);
  const ports = [await freePort(), await freePort()];
  const apis = await Promise.all(ports.map((port) => start('server', { PORT: String(port), HOST: '127.0.0.1' }, 'API ready')));
  const clients = ports.map((port) => new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` }));

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push((await clients[i % 2]!.startRun(WF, { message: `AI trends, part ${i}` })).run_id);
  // Let both workers pick up work, then kill one worker and one API mid-flight.
  while (h.openai.count() < RUNS * 2) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all([killProcess(workers[0]!), killProcess(apis[0]!)]);

  // Everything is still reachable through the surviving API, and every run completes.
  const streams = await Promise.all(
    runIds.map(async (runId) => {
      const events: RunEvent[] = [];
      for await (const event of clients[1]!.events(WF, runId)) events.push(event);
      return events;
    }),
  );
  for (const [i, events] of streams.entries()) {
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, n) => n), `run ${i}: gapless`);
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted', `run ${i}`);
    assert.equal(events.findLast((e) => e.event === 'WorkflowCompleted')?.content, CONTENT_PLAN);
  }

  // Both workers did work: their identities appear in the runs' histories.
  const identities = new Set<string>();
  for (const runId of runIds) {
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity ?? event.workflowTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity.split('@')[0]!);
    }
  }
  const pids = workers.map((worker) => String(worker.pid));
  assert.ok(pids.every((pid) => identities.has(pid)), `both workers ran tasks: ${[...identities].join(', ')} vs ${pids.join(', ')}`);
});
