/**
 * Scale-out: two worker processes and two API processes against one Temporal server. SIGKILL of
 * the worker running an activity, and of one API, loses no run: the activity is done again on the
 * other worker, and everything stays reachable through the other API.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import proto from '@temporalio/proto';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { collectWithin, waitUntil } from '../support/wait.ts';

const WF = 'content-creation-workflow';
const RUNS = 6;
const STARTED = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await killChildren();
  await h?.close();
});

const pidOf = (identity: string | null | undefined) => identity?.split('@')[0];

/** A run with an activity running right now: Temporal's word for which worker runs it. */
async function runningActivity(runIds: string[]): Promise<{ runId: string; activityId: string; pid: string } | undefined> {
  for (const runId of runIds) {
    const { raw } = await h.engine.client.workflow.getHandle(runId).describe();
    const running = raw.pendingActivities?.find((activity) => activity.state === STARTED && activity.lastWorkerIdentity);
    if (running) return { runId, activityId: running.activityId!, pid: pidOf(running.lastWorkerIdentity)! };
  }
  return undefined;
}

/** The worker and attempt that completed an activity, from the run's history. */
async function completion(runId: string, activityId: string): Promise<{ pid: string | undefined; attempt: number }> {
  const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
  const scheduled = history.events?.find((event) => event.activityTaskScheduledEventAttributes?.activityId === activityId);
  const started = history.events?.find((event) => String(event.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId))?.activityTaskStartedEventAttributes;
  return { pid: pidOf(started?.identity), attempt: started?.attempt ?? 0 };
}

it('loses no run when the worker running an activity and one API are killed', async () => {
  // Model calls wait until a worker has been killed, so the one it runs is certainly cut off.
  let killed: () => void = () => {};
  const afterKill = new Promise<void>((resolve) => (killed = resolve));
  h.openai.setHandler(async (req) => {
    await afterKill;
    return contentCreationReply(req);
  });
  const workers = await Promise.all([startEntrypoint('worker', h.env), startEntrypoint('worker', h.env)]);
  const ports = [await freePort(), await freePort()];
  const apis = await Promise.all(ports.map((port) => startEntrypoint('server', { ...h.env, PORT: String(port), HOST: '127.0.0.1' })));
  const clients = ports.map((port) => new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` }));

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push((await clients[i % 2]!.startRun(WF, { message: `AI trends, part ${i}` })).run_id);
  // Kill a worker that is running an activity (whichever Temporal gave work to), and one API.
  const victim = await waitUntil('a worker to be running an activity', () => runningActivity(runIds));
  const dying = workers.find((worker) => String(worker.child.pid) === victim.pid);
  assert.ok(dying, `the activity runs on worker ${victim.pid}, one of ours (${workers.map((w) => w.child.pid).join(', ')})`);
  const survivor = workers.find((worker) => worker !== dying)!;
  await Promise.all([killProcess(dying.child), killProcess(apis[0]!.child)]);
  killed();

  // Everything is still reachable through the surviving API, and every run completes.
  const streams = await Promise.all(runIds.map((runId) => collectWithin(`the events of run ${runId}`, (signal) => clients[1]!.events(WF, runId, { signal }), 120_000)));
  for (const [i, events] of streams.entries()) {
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, n) => n), `run ${i}: gapless`);
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted', `run ${i}`);
    assert.equal(events.findLast((e) => e.event === 'WorkflowCompleted')?.content, CONTENT_PLAN);
  }

  // The activity cut off with its worker was done again, by the other worker.
  assert.deepEqual(await completion(victim.runId, victim.activityId), { pid: String(survivor.child.pid), attempt: 2 });
});
