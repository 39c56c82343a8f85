/**
 * Durability of tool calls: a worker process SIGKILLed while a tool call waits on its service.
 * A new worker finishes the run; the tool call that was cut off is made again, but no tool call
 * that had completed and no model call is repeated (requests counted at the fakes).
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
import { waitUntil, withDeadline } from '../support/wait.ts';

/** The fake holds a "slow" answer this long (test/fakes/http-fake.ts); the kill must come well before. */
const HELD_MS = 5_000;

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
  const byCaller: Record<string, number> = { leader: 0, hackernews: 0, finance: 0, planner: 0 };
  for (const request of h.openai.requests) byCaller[callerOf(request)] = (byCaller[callerOf(request)] ?? 0) + 1;
  return { ...byCaller, topstories: h.hackernews.count('/v0/topstories.json'), items: h.hackernews.count('/v0/item/'), chart: h.yahoo.count('/v8/finance/chart/') };
}

it('finishes a run after its worker is SIGKILLed mid-tool-call, repeating no completed tool call and no model call', async () => {
  // The Hacker News tool's first request gets no answer while the worker lives.
  h.hackernews.failNext('/v0/topstories.json', 'slow');
  const first = await startWorkerProcess();
  const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine, timeouts: { heartbeatTimeoutMs: 2000 } });

  // Wait until the Hacker News tool call is in flight and the finance member has finished: its
  // tool call and both its model calls completed.
  const held = await waitUntil('the Hacker News tool to call its service', () => h.hackernews.count('/v0/topstories.json') === 1 && Date.now());
  const seen: RunEvent[] = [];
  await withDeadline('the finance member to finish', (async () => {
    for await (const event of h.engine.streamEvents(run.run_id)) {
      seen.push(event);
      if (event.event === 'RunCompleted' && event.agent_name === 'Finance Agent') return;
    }
  })());
  await killProcess(first, 'SIGKILL');
  assert.ok(Date.now() - held < HELD_MS - 1000, 'the worker died while the tool call still waited for its answer');
  assert.ok(seen.some((e) => e.event === 'ToolCallCompleted' && e.tool?.tool_name === 'get_current_stock_price'));
  assert.ok(!seen.some((e) => e.event === 'ToolCallCompleted' && e.tool?.tool_name === 'get_top_hackernews_stories'));
  const atKill = counts();
  assert.deepEqual(atKill, { leader: 1, hackernews: 1, finance: 2, planner: 0, topstories: 1, items: 0, chart: 1 });

  await startWorkerProcess();
  const output = await withDeadline('the run to finish on the new worker', h.engine.waitForRun(run.run_id), 60_000);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, CONTENT_PLAN);

  // Only the cut-off tool call went out again; every model call and the completed Yahoo call did not.
  assert.deepEqual(counts(), { leader: 2, hackernews: 2, finance: 2, planner: 1, topstories: 2, items: 3, chart: 1 });
  const hnFollowUp = h.openai.requests.filter((r) => callerOf(r) === 'hackernews')[1];
  assert.match(hnFollowUp?.toolResults[0]?.output ?? '', /Agents that never lose work/, 'the model got the retried tool call’s answer');

  const events = await collectEvents(h.engine, run.run_id);
  assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  const toolEvents = events.filter((e) => 'tool' in e && e.tool.tool_name === 'get_top_hackernews_stories').map((e) => e.event);
  assert.deepEqual(toolEvents, ['ToolCallStarted', 'ToolCallCompleted'], 'one tool call in the log, whatever it took');
  assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
});
