/**
 * SIGTERM to a worker process (src/entrypoints/worker.ts) while it runs a model call: it polls no
 * more, lets the call finish within its grace time (WORKER_SHUTDOWN_GRACE_MS), reports it, and
 * exits 0; a worker started afterwards completes the run without making that call again. With a
 * grace time shorter than the call, the call is cancelled instead and made again by the next worker.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { FakeRequest } from '../fakes/openai.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import type { StartedProcess } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await killChildren();
  await h?.close();
});

const isPlanner = (req: FakeRequest) => callerOf(req) === 'planner';

/** The planner's model call waits for `release()`; every other call answers at once. */
function holdPlannerCalls(): () => void {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  h.openai.reset();
  h.openai.setHandler(async (req) => {
    if (isPlanner(req)) await released;
    return contentCreationReply(req);
  });
  return release;
}

/** Sends SIGTERM and resolves once the worker has begun to stop (it says so before stopping its parts). */
async function terminate(worker: StartedProcess): Promise<{ exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const exited = once(worker.child, 'exit');
  worker.child.kill('SIGTERM');
  await waitUntil('the worker to begin stopping', () => worker.output().includes('stopping ...'));
  const exit = withDeadline('the worker to exit', exited, 60_000).then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { exit };
}

async function startRun(): Promise<string> {
  const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
  await waitUntil("the planner's model call", () => h.openai.count(isPlanner) === 1, { timeoutMs: 60_000 });
  return output.run_id;
}

/** The run, read to its end: completed, with the planner's answer. */
async function completed(runId: string): Promise<void> {
  const run = await withDeadline(`run ${runId} to end`, h.engine.waitForRun(runId), 120_000);
  assert.equal(run.status, 'COMPLETED');
  assert.equal(run.content, CONTENT_PLAN);
}

it('lets the model call in flight finish, exits 0, and the next worker completes the run without calling the model again', async () => {
  const release = holdPlannerCalls();
  const worker = await startEntrypoint('worker', { ...h.env, WORKER_SHUTDOWN_GRACE_MS: '60000' });
  const runId = await startRun();
  const { exit } = await terminate(worker);
  // The call answers while the worker is stopping: within its grace time.
  release();
  assert.deepEqual(await exit, { code: 0, signal: null }, `the worker's output:\n${worker.output()}`);
  // No worker polls now; the run goes on with the next one.
  const next = await startEntrypoint('worker', h.env);
  await completed(runId);
  assert.equal(h.openai.count(isPlanner), 1, 'the call that finished within the grace time was not made again');
  await killProcess(next.child);
});

it('cancels a call still running when the grace time ends; the next worker makes it again', async () => {
  const release = holdPlannerCalls();
  const worker = await startEntrypoint('worker', { ...h.env, WORKER_SHUTDOWN_GRACE_MS: '500' });
  const runId = await startRun();
  const { exit } = await terminate(worker);
  assert.deepEqual(await exit, { code: 0, signal: null }, `the worker's output:\n${worker.output()}`);
  await startEntrypoint('worker', h.env);
  await waitUntil("the planner's call made again", () => h.openai.count(isPlanner) === 2, { timeoutMs: 60_000 });
  release();
  await completed(runId);
});
