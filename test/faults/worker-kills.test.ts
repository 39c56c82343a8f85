/**
 * SIGKILL of the worker process at random points while 20 runs are in flight, again and again.
 * Every run completes with the same log as an uninterrupted run; no service call is made more
 * often than Temporal's attempts account for (see history-accounting.ts).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { ENTRYPOINT, killProcess, startProcess } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { activityAttempts } from './history-accounting.ts';

const RUNS = 20;
const KILLS = 4;
const SEED = Number(process.env.FAULT_SEED ?? 20261123);
let h: Harness;
let worker: ChildProcess | undefined;

/** mulberry32: a small seeded PRNG, so a failing schedule can be replayed with FAULT_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startWorker(): Promise<ChildProcess> {
  return (await startProcess({ args: [ENTRYPOINT('worker')], env: h.env, ready: 'worker ready' })).child;
}

const who = (e: RunEvent) => ('agent_name' in e ? e.agent_name : 'team_name' in e ? e.team_name : 'step_name' in e ? e.step_name : undefined) ?? '';
const shape = (events: RunEvent[]) => events.map((e) => `${e.event}:${who(e)}:${'tool' in e ? e.tool.tool_name : ''}`).sort();

before(async () => {
  h = await startHarness();
  // Every model call takes a while, so kills land inside model calls, tool calls and in between.
  h.openai.setHandler((req) => ({ ...contentCreationReply(req), delayMs: 150 }) as ReturnType<typeof contentCreationReply>);
});
after(async () => {
  worker?.kill('SIGKILL');
  await h?.close();
});

it(`keeps ${RUNS} runs whole through ${KILLS} worker SIGKILLs at random points (seed ${SEED})`, async () => {
  const random = prng(SEED);
  worker = await startWorker();
  const timeouts = { heartbeatTimeoutMs: 2000 };
  const reference = await contentCreationWorkflow.arun({ input: 'reference run', engine: h.engine, timeouts });
  const referenceEvents: RunEvent[] = [];
  for await (const event of h.engine.streamEvents(reference.run_id)) referenceEvents.push(event);

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push((await contentCreationWorkflow.arun({ input: `AI trends, part ${i}`, engine: h.engine, timeouts, background: true })).run_id);
  for (let k = 0; k < KILLS; k++) {
    await delay(300 + random() * 1500);
    await killProcess(worker);
    worker = await startWorker();
  }
  const outputs = await Promise.all(runIds.map((runId) => h.engine.waitForRun(runId)));
  for (const output of outputs) {
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
  }
  for (const runId of runIds) {
    const events: RunEvent[] = [];
    for await (const event of h.engine.streamEvents(runId)) events.push(event);
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
