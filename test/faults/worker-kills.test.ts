/**
 * SIGKILL of the worker process while 20 runs are in flight, again and again, each time while it
 * is inside a model call: the fake leaves a request, picked at random, unanswered, and the kill
 * comes once that request is in. Every kill thus interrupts work (the call is abandoned and made
 * again by the next worker, as the recorded attempts show); every run completes with the same log
 * as an uninterrupted run; no service call is made more often than Temporal's attempts account
 * for (see history-accounting.ts).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { activityAttempts } from './history-accounting.ts';
import { Rng } from './support/prng.ts';

const RUNS = 20;
const KILLS = 4;
const SEED = Number(process.env.FAULT_SEED ?? 20261123);
/** Model calls of one run of the content-creation workflow. */
const MODEL_CALLS = 7;
let h: Harness;
/** Indexes of the model requests the fake leaves unanswered: a kill follows each. */
const unanswered = new Set<number>();

const startWorker = async () => (await startEntrypoint('worker', h.env)).child;

const who = (e: RunEvent) => ('agent_name' in e ? e.agent_name : 'team_name' in e ? e.team_name : 'step_name' in e ? e.step_name : undefined) ?? '';
const shape = (events: RunEvent[]) => events.map((e) => `${e.event}:${who(e)}:${'tool' in e ? e.tool.tool_name : ''}`).sort();

before(async () => {
  h = await startHarness();
  // Every model call takes a while, so other runs' calls (model and tool) are in flight at a kill too.
  h.openai.setHandler((req) => (unanswered.has(req.index) ? { kind: 'hang' } : ({ ...contentCreationReply(req), delayMs: 150 } as ReturnType<typeof contentCreationReply>)));
});
after(async () => {
  await killChildren();
  await h?.close();
});

it(`keeps ${RUNS} runs whole through ${KILLS} worker SIGKILLs inside model calls picked at random (seed ${SEED})`, async () => {
  let worker = await startWorker();
  const timeouts = { heartbeatTimeoutMs: 2000 };
  const reference = await contentCreationWorkflow.arun({ input: 'reference run', engine: h.engine, timeouts });
  const referenceEvents = await collectEvents(h.engine, reference.run_id);

  // Seeded, so a failing schedule can be replayed with FAULT_SEED: one request in each of KILLS
  // equal stretches of the runs' model calls (every run makes them; retries only add more).
  const random = new Rng(SEED);
  const first = h.openai.count();
  const stretch = Math.floor((RUNS * MODEL_CALLS) / KILLS);
  for (let k = 0; k < KILLS; k++) unanswered.add(first + k * stretch + Math.floor(random.next() * stretch));

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push((await contentCreationWorkflow.arun({ input: `AI trends, part ${i}`, engine: h.engine, timeouts, background: true })).run_id);
  let abandoned = 0;
  for (const index of [...unanswered].sort((a, b) => a - b)) {
    await waitUntil(`model request #${index}, left unanswered, to come in`, () => h.openai.count() > index, { timeoutMs: 60_000 });
    await killProcess(worker);
    // The killed worker's connections close: the unanswered call among them, abandoned.
    await waitUntil('the killed worker to abandon its model calls', () => h.openai.aborted > abandoned);
    abandoned = h.openai.aborted;
    worker = await startWorker();
  }
  const outputs = await withDeadline('every run to end', Promise.all(runIds.map((runId) => h.engine.waitForRun(runId))), 120_000);
  for (const output of outputs) {
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
  }
  for (const runId of runIds) {
    const events = await collectEvents(h.engine, runId);
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i), `${runId}: gapless`);
    assert.deepEqual(shape(events.filter((e) => !e.event.endsWith('Content'))), shape(referenceEvents.filter((e) => !e.event.endsWith('Content'))), `${runId}: same log as an uninterrupted run`);
    const planner = events.filter((e) => e.event === 'RunContent').filter((e) => e.agent_name === 'Content Planner').map((e) => e.content).join('');
    assert.equal(planner, CONTENT_PLAN, `${runId}: deltas add up`);
  }
  // Nothing done twice: each call the fakes received belongs to one of Temporal's recorded
  // attempts (an attempt lost with a killed worker may not have reached the service at all).
  const attempts = await activityAttempts(h.engine.client, [reference.run_id, ...runIds]);
  assert.equal(attempts.completed.callModel, MODEL_CALLS * (RUNS + 1));
  assert.equal(attempts.completed.callTool, 2 * (RUNS + 1));
  // Each kill cut off a model call that never got its answer; it completed on a later attempt.
  const retried = attempts.callModel - attempts.completed.callModel;
  assert.ok(retried >= KILLS, `every kill interrupted a model call, made again: ${retried} model call attempts beyond the first`);
  const within = (name: string, calls: number, completed: number, attempted: number) =>
    assert.ok(calls >= completed && calls <= attempted, `${name}: ${calls} calls, ${completed} completed, ${attempted} attempts`);
  within('model', h.openai.count(), MODEL_CALLS * (RUNS + 1), attempts.callModel);
  within('hacker news', h.hackernews.count('/v0/topstories.json'), RUNS + 1, attempts.callTool.get_top_hackernews_stories ?? 0);
  within('yahoo', h.yahoo.count('/v8/finance/chart/'), RUNS + 1, attempts.callTool.get_current_stock_price ?? 0);
  console.log(`model calls: ${attempts.completed.callModel} completed, ${h.openai.count()} sent, ${attempts.callModel} attempts; tool attempts: ${JSON.stringify(attempts.callTool)}`);
});
