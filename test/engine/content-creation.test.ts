/**
 * The content-creation workflow end to end on a real Temporal dev server, with the real `openai`
 * client talking to a loopback fake.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { isLogEvent } from '../../src/contracts/live.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { setDefaultEngine } from '../../src/engine/engine.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { collectWithin, waitUntil } from '../support/wait.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply, FINANCE_SUMMARY, HN_SUMMARY, RESEARCH_SUMMARY } from '../support/content-creation-script.ts';

let h: Harness;

before(async () => {
  h = await startHarness();
  setDefaultEngine(h.engine);
  await h.startWorker([contentCreationWorkflow]);
});

after(async () => {
  await h?.close();
});

beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(contentCreationReply);
});

/** Concatenated content deltas per executor run, and each run's completed content. */
function contentByRun(events: StreamedEvent[]) {
  const deltas = new Map<string, string>();
  const completed = new Map<string, string>();
  for (const event of events) {
    const id = String(event.run_id);
    if (event.event === 'RunContent' || event.event === 'TeamRunContent') deltas.set(id, (deltas.get(id) ?? '') + event.content);
    if (event.event === 'RunCompleted' || event.event === 'TeamRunCompleted') completed.set(id, String(event.content));
  }
  return { deltas, completed };
}

describe('content-creation workflow', () => {
  it('completes: the team delegates to both members, and each member calls its tool', async () => {
    const output = await contentCreationWorkflow.arun({ input: 'AI trends in 2024' });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
    assert.deepEqual(
      output.step_results.map((step) => [step.step_name, step.executor_type, step.content]),
      [
        ['Research Step', 'team', RESEARCH_SUMMARY],
        ['Content Planning Step', 'agent', CONTENT_PLAN],
      ],
    );
    // Leader: delegate, then answer; each member: tool, then answer; planner: answer.
    const callers = h.openai.requests.map(callerOf);
    assert.deepEqual(
      Object.fromEntries(['leader', 'hackernews', 'finance', 'planner'].map((c) => [c, callers.filter((x) => x === c).length])),
      { leader: 2, hackernews: 2, finance: 2, planner: 1 },
    );
    // The planner's input is the research step's content (Agno's chaining).
    const planner = h.openai.requests.find((r) => callerOf(r) === 'planner');
    assert.equal(planner?.lastUserText, RESEARCH_SUMMARY);
    // Each member's tool really called its service.
    assert.equal(h.hackernews.count('/v0/topstories.json'), 1);
    assert.equal(h.hackernews.count('/v0/item/'), 3);
    assert.equal(h.yahoo.count('/v8/finance/chart/NVDA'), 1);
    // The leader got both members' answers back as tool results.
    const leaderFinal = h.openai.requests.filter((r) => callerOf(r) === 'leader')[1];
    assert.deepEqual(leaderFinal?.toolResults.map((r) => r.output).sort(), [FINANCE_SUMMARY, HN_SUMMARY].sort());
    assert.ok(output.metrics && output.metrics.steps['Research Step']!.metrics.total_tokens > 0);
  });

  it('streams events in order with gapless indexes, and token deltas add up to each answer', async () => {
    // arunStream takes no signal: at the deadline the stream is abandoned.
    const streamed = await collectWithin('the streamed run', () => contentCreationWorkflow.arunStream({ input: 'AI trends in 2024' }));
    // Live text comes between the log's events (without an event_index), and is not repeated by them.
    assert.ok(streamed.some((e) => !isLogEvent(e)), 'text streamed live');
    const { deltas: streamedText } = contentByRun(streamed);
    const events = streamed.filter(isLogEvent);
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
    assert.equal(events[0]?.event, 'WorkflowStarted');
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    const names = events.map((e) => e.event);
    const order = ['WorkflowStarted', 'StepStarted', 'TeamRunStarted', 'TeamToolCallStarted', 'RunStarted', 'ToolCallStarted', 'ToolCallCompleted', 'RunCompleted', 'TeamToolCallCompleted', 'TeamRunCompleted', 'StepCompleted', 'StepStarted', 'RunStarted', 'RunCompleted', 'StepCompleted', 'WorkflowCompleted'];
    let cursor = 0;
    for (const name of names) if (name === order[cursor]) cursor += 1;
    assert.equal(cursor, order.length, `lifecycle order broken: ${names.join(', ')}`);
    const delegations = events.filter((e) => e.event === 'TeamToolCallStarted').map((e) => e.tool?.tool_args.member_id);
    assert.deepEqual(delegations.sort(), ['finance-agent', 'hackernews-agent']);
    const tools = events.filter((e) => e.event === 'ToolCallCompleted').map((e) => [e.agent_name, e.tool?.tool_name]);
    assert.deepEqual(tools.sort(), [['Finance Agent', 'get_current_stock_price'], ['Hackernews Agent', 'get_top_hackernews_stories']]);
    const { completed } = contentByRun(events);
    const deltas = streamedText;
    assert.equal(completed.size, 4); // team, two members, planner
    for (const [id, content] of completed) assert.equal(deltas.get(id), content, `deltas of ${id}`);
    // Every event names its run and step.
    const runId = events[0]!.run_id;
    // Agent and team events carry their own run_id and the workflow's in workflow_run_id, as in Agno.
    assert.ok(events.every((e) => ('workflow_run_id' in e ? e.workflow_run_id : e.run_id) === runId && e.workflow_id === 'content-creation-workflow' && e.session_id));
    // Agno's client picks a parser by these keys: workflow events must not carry them.
    assert.ok(events.filter((e) => e.event.startsWith('Workflow') || e.event.startsWith('Step')).every((e) => !('agent_id' in e) && !('team_id' in e)));
    assert.ok(events.filter((e) => e.event.startsWith('Run') || e.event.startsWith('Team')).every((e) => 'step_name' in e && e.step_name));
    // The same log, read again after the end, has the same text in full (queries answer closed runs).
    const again = await collectWithin('the log read again', (signal) => contentCreationWorkflow.streamRun(runId, { signal }));
    assert.deepEqual(again.map((e) => e.event_index), events.map((e) => e.event_index));
    assert.deepEqual(contentByRun(again).deltas, streamedText);
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    console.log(`history events of one content-creation run: ${history.events?.length}`);
  });

  it('runs in the background: arun returns PENDING at once and getRun reaches COMPLETED', async () => {
    h.openai.setHandler((req) => ({ ...contentCreationReply(req), delayMs: 300 }) as ReturnType<typeof contentCreationReply>);
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true });
    assert.equal(run.status, 'PENDING');
    assert.ok(run.runId);
    const first = await contentCreationWorkflow.getRun(run.runId);
    assert.ok(first && !first.hasCompleted(), `status right after start: ${first?.status}`);
    const result = await waitUntil('getRun to report the run completed', async () => {
      const current = await contentCreationWorkflow.getRun(run.runId);
      return current?.hasCompleted() && current;
    });
    assert.equal(result?.status, 'COMPLETED');
    assert.equal(result?.content, CONTENT_PLAN);
    assert.equal(await contentCreationWorkflow.getRun('no-such-run'), undefined);
  });
});
