/**
 * SIGKILL of the worker process at random points while 20 runs are in flight, again and again.
 * Every run completes with the same log as an uninterrupted run; no service call is made more
 * often than Temporal's attempts account for (see history-accounting.ts).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { withDeadline } from '../support/wait.ts';
import { activityAttempts } from './history-accounting.ts';
import { Rng } from './support/prng.ts';

const RUNS = 20;
const KILLS = 4;
const SEED = Number(process.env.FAULT_SEED ?? 20261123);
let h: Harness;

const startWorker = async () => (await startEntrypoint('worker', h.env)).child;

const who = (e: RunEvent) => ('agent_name' in e ? e.agent_name : 'team_name' in e ? e.team_name : 'step_name' in e ? e.step_name : undefined) ?? '';
const shape = (events: RunEvent[]) => events.map((e) => `${e.event}:${who(e)}:${'tool' in e ? e.tool.tool_name : ''}`).sort();

before(async () => {
  h = await startHarness();
  // Every model call takes a while, so kills land inside model calls, tool calls and in between.
  h.openai.setHandler((req) => ({ ...contentCreationReply(req), delayMs: 150 }) as ReturnType<typeof contentCreationReply>);
});
after(async () => {
  await killChildren();
  await h?.close();
});

it(`keeps ${RUNS} runs whole through ${KILLS} worker SIGKILLs at random points (seed ${SEED})`, async () => {
  // Seeded, so a failing schedule can be replayed with FAULT_SEED.
  const random = new Rng(SEED);
  let worker = await startWorker();
  const timeouts = { heartbeatTimeoutMs: 2000 };
  const reference = await contentCreationWorkflow.arun({ input: 'reference run', engine: h.engine, timeouts });
  const referenceEvents = await collectEvents(h.engine, reference.run_id);

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push((await contentCreationWorkflow.arun({ input: `AI trends, part ${i}`, engine: h.engine, timeouts, background: true })).run_id);
  for (let k = 0; k < KILLS; k++) {
    await delay(300 + random.next() * 1500);
    await killProcess(worker);
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
  assert.equal(attempts.completed.callModel, 7 * (RUNS + 1));
  assert.equal(attempts.completed.callTool, 2 * (RUNS + 1));
  const within = (name: string, calls: number, completed: number, attempted: number) =>
    assert.ok(calls >= completed && calls <= attempted, `${name}: ${calls} calls, ${completed} completed, ${attempted} attempts`);
  within('model', h.openai.count(), 7 * (RUNS + 1), attempts.callModel);
  within('hacker news', h.hackernews.count('/v0/topstories.json'), RUNS + 1, attempts.callTool.get_top_hackernews_stories ?? 0);
  within('yahoo', h.yahoo.count('/v8/finance/chart/'), RUNS + 1, attempts.callTool.get_current_stock_price ?? 0);
  console.log(`model calls: ${attempts.completed.callModel} completed, ${h.openai.count()} sent, ${attempts.callModel} attempts; tool attempts: ${JSON.stringify(attempts.callTool)}`);
});
