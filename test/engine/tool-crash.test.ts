/**
 * Durability of tool calls: a worker process SIGKILLed while a tool call waits on its service.
 * A new worker finishes the run; the tool call that was cut off is made again, but no tool call
 * that had completed and no model call is repeated: requests counted at the fakes, against the
 * attempts Temporal recorded (a starved worker that misses a heartbeat costs an attempt, which is
 * counted on both sides; a completed call made again would be one more than the attempts).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { ENTRYPOINT, killProcess, startProcess } from '../support/processes.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import type { Caller } from '../support/content-creation-script.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { activityAttempts } from '../faults/history-accounting.ts';

let h: Harness;
const children: ChildProcess[] = [];
before(async () => {
  h = await startHarness();
  h.openai.setHandler(contentCreationReply);
});
after(async () => {
  await Promise.all(children.map((child) => killProcess(child)));
  await h?.close();
});

async function startWorkerProcess(): Promise<ChildProcess> {
  const started = await startProcess({ args: [ENTRYPOINT('worker')], env: h.env, ready: 'worker ready' });
  children.push(started.child);
  return started.child;
}

function counts() {
  const byCaller: Record<Caller, number> = { leader: 0, hackernews: 0, finance: 0, planner: 0, unknown: 0 };
  for (const request of h.openai.requests) byCaller[callerOf(request)] += 1;
  return { ...byCaller, topstories: h.hackernews.count('/v0/topstories.json'), items: h.hackernews.count('/v0/item/'), chart: h.yahoo.count('/v8/finance/chart/') };
}

it('finishes a run after its worker is SIGKILLed mid-tool-call, repeating no completed tool call and no model call', async () => {
  // The Hacker News tool's first request gets no answer at all: only the worker's death ends it.
  h.hackernews.failNext('/v0/topstories.json', 'hang');
  const first = await startWorkerProcess();
  const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine, timeouts: { heartbeatTimeoutMs: 2000 } });

  // Wait until the Hacker News tool call is in flight and the finance member has finished: its
  // tool call and both its model calls completed.
  await waitUntil('the Hacker News tool to call its service', () => h.hackernews.held() === 1);
  const seen: RunEvent[] = [];
  await withDeadline('the finance member to finish', (async () => {
    for await (const event of h.engine.streamEvents(run.run_id)) {
      seen.push(event);
      if (event.event === 'RunCompleted' && event.agent_name === 'Finance Agent') return;
    }
  })());
  assert.equal(h.hackernews.held(), 1, 'the tool call still waits for its answer');
  await killProcess(first, 'SIGKILL');
  // The kill cut the tool call off: its connection closed, unanswered.
  await waitUntil('the killed worker’s tool call to be gone', () => h.hackernews.held() === 0);
  assert.ok(seen.some((e) => e.event === 'ToolCallCompleted' && e.tool?.tool_name === 'get_current_stock_price'));
  assert.ok(!seen.some((e) => e.event === 'ToolCallCompleted' && e.tool?.tool_name === 'get_top_hackernews_stories'));
  const atKill = counts();
  assert.equal(atKill.planner, 0, 'the planner had not been asked');
  assert.equal(atKill.items, 0, 'no story had been fetched');

  await startWorkerProcess();
  const output = await withDeadline('the run to finish on the new worker', h.engine.waitForRun(run.run_id), 60_000);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, CONTENT_PLAN);

  // Only the cut-off tool call went out again; every model call and the completed Yahoo call did
  // not: each call is one of the run's (7 model calls, 2 tool calls), completed once, and no
  // service saw more requests than Temporal recorded attempts.
  const attempts = await activityAttempts(h.engine.client, [run.run_id]);
  assert.equal(attempts.completed.callModel, 7, 'leader 2, Hacker News member 2, finance member 2, planner 1');
  assert.equal(attempts.completed.callTool, 2);
  const hnAttempts = attempts.callTool.get_top_hackernews_stories ?? 0;
  assert.ok(hnAttempts >= 2, `the cut-off tool call was attempted again: ${hnAttempts} attempts`);
  const after = counts();
  const within = (name: string, calls: number, least: number, attempted: number) =>
    assert.ok(calls >= least && calls <= attempted, `${name}: ${calls} requests, at least ${least}, at most ${attempted} (attempts recorded)`);
  within('model', h.openai.count(), 7, attempts.callModel);
  within('Hacker News top stories', after.topstories, 2, hnAttempts);
  within('Yahoo chart', after.chart, 1, attempts.callTool.get_current_stock_price ?? 0);
  for (const [caller, least] of [['leader', 2], ['hackernews', 2], ['finance', 2], ['planner', 1], ['items', 3]] as const) {
    assert.ok(after[caller] >= least, `${caller}: ${after[caller]} requests, at least ${least}`);
  }
  const hnFollowUp = h.openai.requests.findLast((r) => callerOf(r) === 'hackernews');
  assert.match(hnFollowUp?.toolResults[0]?.output ?? '', /Agents that never lose work/, 'the model got the retried tool call’s answer');

  const events = await collectEvents(h.engine, run.run_id);
  assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  const toolEvents = events.filter((e) => 'tool' in e && e.tool.tool_name === 'get_top_hackernews_stories').map((e) => e.event);
  assert.deepEqual(toolEvents, ['ToolCallStarted', 'ToolCallCompleted'], 'one tool call in the log, whatever it took');
  assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
});
