/**
 * Durability: a worker process killed with SIGKILL in the middle of a run. A new worker finishes
 * the run, no model call or tool call that had completed is sent again, and the run store holds
 * the run whole: the new worker writes what the dead one had not, and nothing twice.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { ENTRYPOINT, startProcess } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { assertStoreHoldsRun } from '../run-store/support/store-holds-run.ts';

let h: Harness;
const children: ChildProcess[] = [];

before(async () => {
  h = await startHarness();
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await h?.close();
});

/** The real worker entry point as a child process; resolves once it polls. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const started = await startProcess({ args: [ENTRYPOINT('worker')], env: h.env, ready: 'worker ready' });
  children.push(started.child);
  return started.child;
}

it('finishes a run after its worker is SIGKILLed mid-model-call, repeating no finished call', async () => {
  let killed = false;
  let onPlannerCall: (() => void) | undefined;
  const plannerCalled = new Promise<void>((resolve) => (onPlannerCall = resolve));
  h.openai.setHandler((req) => {
    if (callerOf(req) === 'planner' && !killed) {
      // The run is inside its second step's model call: the worker dies now, mid-stream.
      onPlannerCall?.();
      return { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 500 };
    }
    return contentCreationReply(req);
  });
  const first = await startWorkerProcess();
  const run = await contentCreationWorkflow.arun({
    input: 'AI trends in 2024',
    background: true,
    engine: h.engine,
    timeouts: { heartbeatTimeoutMs: 2000 },
  });
  await plannerCalled;
  first.kill('SIGKILL');
  killed = true;
  await once(first, 'exit');
  // The planner's call carried the run's events so far: the dead worker wrote them before calling.
  assert.ok((await h.runStore.lastEventIndex(run.run_id)) > 0, 'the dead worker had written the events before the planner call');
  const before = { ...countByCaller(), topstories: h.hackernews.count('/v0/topstories.json'), chart: h.yahoo.count('/v8/finance/chart/') };

  await startWorkerProcess();
  const output = await h.engine.waitForRun(run.run_id);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, CONTENT_PLAN);

  // Step 1 had finished before the crash: none of its model or tool calls went out again.
  assert.deepEqual(before, { leader: 2, hackernews: 2, finance: 2, planner: 1, topstories: 1, chart: 1 });
  assert.deepEqual(
    { ...countByCaller(), topstories: h.hackernews.count('/v0/topstories.json'), chart: h.yahoo.count('/v8/finance/chart/') },
    { leader: 2, hackernews: 2, finance: 2, planner: 2, topstories: 1, chart: 1 },
  );

  // The event log came through whole: gapless, one WorkflowCompleted, and the planner's
  // deltas add up to its answer although its first attempt died mid-stream.
  const events: RunEvent[] = [];
  for await (const event of h.engine.streamEvents(run.run_id)) events.push(event);
  assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  assert.equal(events.filter((e) => e.event === 'WorkflowCompleted').length, 1);
  const planner = events.filter((e) => e.event === 'RunContent').filter((e) => e.agent_name === 'Content Planner');
  assert.equal(planner.map((e) => e.content).join(''), CONTENT_PLAN);
  await assertStoreHoldsRun(h, output);
});

function countByCaller(): Record<string, number> {
  const counts: Record<string, number> = { leader: 0, hackernews: 0, finance: 0, planner: 0 };
  for (const request of h.openai.requests) counts[callerOf(request)] = (counts[callerOf(request)] ?? 0) + 1;
  return counts;
}
