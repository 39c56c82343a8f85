/**
 * `step_executor_runs`: each run of a step's agent or team, as Agno shows it, built from what the
 * workflow recorded. A team's run has its leader's conversation (delegations as tool calls, the
 * members' answers as tool results) and its members' whole runs; each member's run has its own
 * conversation, tool calls and per-model metrics. The same runs come with WorkflowCompleted and
 * (the members') TeamRunCompleted, and a run that continued as new keeps the ones before the move.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { ExecutorRunOutput, RunEvent, RunEventOf } from '../../src/contracts/events.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';
import { CONTENT_PLAN, contentCreationReply, FINANCE_SUMMARY, HN_SUMMARY, RESEARCH_SUMMARY } from '../support/content-creation-script.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { describeSizes, executionSizes } from '../data-plane/support/executions.ts';
import { useLocalDataDir } from '../support/local-data-dir.ts';
import type { LocalDataDir } from '../support/local-data-dir.ts';

const TURNS = 8;
const takeNote = defineTool<{ n: number }>({
  name: 'take_note',
  description: 'Takes note n.',
  parameters: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  execute: ({ n }) => `note ${n}`,
});
const model = new OpenAIResponses({ id: 'gpt-5.2' });
const noteTaker = new Agent({ name: 'Note Taker', model, tools: [takeNote], maxTurns: TURNS + 2 });
const summarizer = new Agent({ name: 'Summarizer', model, instructions: 'Summarize the notes.' });
const notes = new Workflow({
  name: 'Notes Then Summary',
  steps: [new Step({ name: 'First Notes', agent: noteTaker }), new Step({ name: 'More Notes', agent: noteTaker }), new Step({ name: 'Summary', agent: summarizer })],
});

const summary = { broken: false };

function notesReply(req: FakeRequest): FakeReply {
  if (req.system.includes('Summarize')) return summary.broken ? { kind: 'error', status: 400, message: 'The summarizer is broken.' } : { kind: 'text', text: 'All noted.' };
  const next = req.toolResults.length + 1;
  return next <= TURNS ? { kind: 'tool_calls', calls: [{ name: 'take_note', arguments: { n: next } }] } : { kind: 'text', text: `Noted ${TURNS}.` };
}

const roles = (run: ExecutorRunOutput) => run.messages.map((message) => message.role);

/** The run's tokens are its model answers' tokens, all of them on its one model. */
function assertTokensAddUp(run: ExecutorRunOutput): void {
  const answers = run.messages.filter((message) => message.role === 'assistant');
  const sum = answers.reduce((total, message) => total + (message.metrics?.total_tokens ?? 0), 0);
  assert.ok(sum > 0, `${run.run_id}: its answers count tokens`);
  assert.equal(run.metrics?.total_tokens, sum, `${run.agent_name ?? run.team_name}: run tokens = its answers' tokens`);
  assert.deepEqual(
    run.metrics?.details?.model.map((entry) => [entry.id, entry.total_tokens]),
    [['gpt-5.2', sum]],
  );
}

/** A member's run: system and user, a tool call and its result, the answer. */
function assertMemberRun(run: ExecutorRunOutput, name: string, tool: string, answer: string, teamRunId: string, sessionId: string): void {
  assert.equal(run.agent_name, name);
  assert.equal(run.status, 'COMPLETED');
  assert.equal(run.parent_run_id, teamRunId);
  assert.deepEqual(run.session_state, { current_session_id: sessionId, current_run_id: run.run_id });
  assert.deepEqual(roles(run), ['system', 'user', 'assistant', 'tool', 'assistant']);
  const [, , calling, result, answered] = run.messages;
  assert.equal(calling!.content, undefined, 'an answer of tool calls only has no content');
  assert.equal(calling!.tool_calls?.[0]?.function.name, tool);
  assert.match(calling!.provider_data?.response_id ?? '', /^resp_/);
  assert.equal(result!.tool_call_id, calling!.tool_calls?.[0]?.id);
  assert.equal(result!.tool_name, tool);
  assert.equal(result!.tool_call_error, false);
  assert.ok((result!.content ?? '').length > 0, 'the tool result is in the conversation');
  assert.equal(answered!.content, answer);
  assert.equal(run.content, answer);
  assert.equal(run.tools?.length, 1);
  assert.equal(run.tools![0]!.tool_name, tool);
  assert.equal(run.tools![0]!.result, result!.content);
  assert.ok(run.tools![0]!.metrics!.duration >= 0 && run.tools![0]!.metrics!.end_time >= run.tools![0]!.metrics!.start_time);
  assert.equal(run.model_provider_data?.response_id, answered!.provider_data?.response_id);
  assertTokensAddUp(run);
}

describe('step_executor_runs', () => {
  let h: Harness;
  let data: LocalDataDir;
  before(async () => {
    data = await useLocalDataDir('executor-runs');
    h = await startHarness();
    await h.startWorker([contentCreationWorkflow, notes]);
  });
  after(async () => {
    await h?.close();
    await data?.restore();
  });

  it('a team with tool-calling members, then an agent: conversations, tool calls, metrics and members’ runs', async () => {
    h.openai.reset();
    h.openai.setHandler(contentCreationReply);
    const { output: started } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
    const output = await withDeadline('the content-creation run', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    const runs = output.toDict().step_executor_runs ?? [];
    assert.deepEqual(runs.map((run) => run.team_name ?? run.agent_name), ['Research Team', 'Content Planner']);
    const [team, planner] = runs as [ExecutorRunOutput, ExecutorRunOutput];
    assert.deepEqual(runs.map((run) => run.run_id), output.step_results.map((result) => result.step_run_id), 'each is its step’s run');
    assert.deepEqual(runs.map((run) => run.workflow_step_id), ['research-step', 'content-planning-step']);
    for (const run of runs) {
      assert.equal(run.parent_run_id, output.run_id);
      assert.equal(run.session_id, output.session_id);
      assert.deepEqual(run.session_state, {});
    }

    // The leader: two delegations in one answer, their results, then its summary.
    assert.deepEqual(roles(team), ['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    assert.match(team.messages[0]!.content ?? '', /Research tech topics and related stocks/);
    assert.equal(team.messages[1]!.content, 'AI trends in 2024');
    assert.deepEqual(team.messages[2]!.tool_calls?.map((call) => JSON.parse(call.function.arguments).member_id), ['hackernews-agent', 'finance-agent']);
    assert.deepEqual(team.messages.slice(3, 5).map((message) => message.content), [HN_SUMMARY, FINANCE_SUMMARY]);
    assert.equal(team.content, RESEARCH_SUMMARY);
    assert.equal(team.messages[5]!.content, RESEARCH_SUMMARY);
    assert.deepEqual(team.input, { input_content: 'AI trends in 2024' });
    assertTokensAddUp(team);

    // The members, each with its tool call, and the delegations naming their runs.
    const members = team.member_responses ?? [];
    assert.equal(members.length, 2);
    const hackernews = members.find((member) => member.agent_name === 'Hackernews Agent')!;
    const finance = members.find((member) => member.agent_name === 'Finance Agent')!;
    assertMemberRun(hackernews, 'Hackernews Agent', 'get_top_hackernews_stories', HN_SUMMARY, team.run_id, output.session_id);
    assertMemberRun(finance, 'Finance Agent', 'get_current_stock_price', FINANCE_SUMMARY, team.run_id, output.session_id);
    assert.match(hackernews.tools![0]!.result ?? '', /Agents that never lose work/);
    assert.deepEqual(team.tools?.map((tool) => tool.child_run_id), [hackernews.run_id, finance.run_id]);

    assert.deepEqual(roles(planner), ['system', 'user', 'assistant']);
    assert.equal(planner.messages[1]!.content, RESEARCH_SUMMARY);
    assert.equal(planner.content, CONTENT_PLAN);
    assert.equal(planner.tools, undefined, 'an agent that called no tool has no tools');
    assertTokensAddUp(planner);

    // The same runs on the run's events: WorkflowCompleted, and the members' on TeamRunCompleted.
    const events = await collectEvents(h.engine, output.run_id);
    const completed = events.at(-1) as RunEventOf<'WorkflowCompleted'>;
    assert.deepEqual(completed.step_executor_runs, runs);
    const teamCompleted = events.find((event): event is RunEventOf<'TeamRunCompleted'> => event.event === 'TeamRunCompleted')!;
    assert.deepEqual(teamCompleted.member_responses, members);

    // Each of an agent's model answers starts with an empty RunContent naming the response.
    const starts = events.filter((event): event is RunEventOf<'RunContent'> => event.event === 'RunContent' && event.content === '');
    const answers = [hackernews, finance, planner].flatMap((run) => run.messages.filter((message) => message.role === 'assistant'));
    assert.deepEqual(
      starts.map((event) => event.model_provider_data?.response_id).sort(),
      answers.map((message) => message.provider_data?.response_id).sort(),
    );
    for (const start of starts) {
      const next = events.slice(start.event_index + 1).find((event: RunEvent) => 'run_id' in event && event.run_id === start.run_id);
      assert.ok(next?.event === 'RunContent' || next?.event === 'ModelRequestCompleted', `the empty chunk comes before the answer (${next?.event})`);
    }
    console.log(`content creation: ${describeSizes(await executionSizes(h.engine.client, output.run_id))}`);
  });

  it('a run that continued as new keeps the runs of its earlier executions', async () => {
    h.openai.reset();
    h.openai.setHandler(notesReply);
    const { output: started } = await h.engine.startRun(notes.toPlan(), { input: 'Take the notes.', historyBudget: { events: 60 } });
    const output = await withDeadline('the notes run', h.engine.waitForRun(started.run_id), 180_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    const sizes = await executionSizes(h.engine.client, output.run_id);
    console.log(`notes then summary: ${describeSizes(sizes)}`);
    assert.ok(sizes.length >= 3, `the run moved to new executions (${sizes.length})`);

    const runs = output.toDict().step_executor_runs ?? [];
    assert.deepEqual(runs.map((run) => [run.agent_name, run.workflow_step_id, run.status]), [
      ['Note Taker', 'first-notes', 'COMPLETED'],
      ['Note Taker', 'more-notes', 'COMPLETED'],
      ['Summarizer', 'summary', 'COMPLETED'],
    ]);
    assert.deepEqual(runs.map((run) => run.run_id), output.step_results.map((result) => result.step_run_id));
    for (const run of runs.slice(0, 2)) {
      // Every turn, also those before a move inside the agent: TURNS tool calls, TURNS + 1 answers.
      // No instructions, no system message (as Agno's).
      assert.deepEqual(roles(run), ['user', ...Array.from({ length: TURNS }, () => ['assistant', 'tool']).flat(), 'assistant']);
      assert.deepEqual(run.tools?.map((tool) => tool.result), Array.from({ length: TURNS }, (_, i) => `note ${i + 1}`));
      assert.equal(run.content, `Noted ${TURNS}.`);
      assertTokensAddUp(run);
    }
    const events = await collectEvents(h.engine, output.run_id, -1, 120_000);
    assert.deepEqual((events.at(-1) as RunEventOf<'WorkflowCompleted'>).step_executor_runs, runs);
  });

  it('a retried run keeps the runs of its failed attempt', async () => {
    h.openai.reset();
    h.openai.setHandler(notesReply);
    summary.broken = true;
    const { output: started } = await h.engine.startRun(notes.toPlan(), { input: 'Take the notes.' });
    const failed = await withDeadline('the failing run', h.engine.waitForRun(started.run_id), 120_000);
    assert.equal(failed.status, 'ERROR');
    const before = failed.toDict().step_executor_runs ?? [];
    assert.deepEqual(before.map((run) => [run.agent_name, run.status]), [
      ['Note Taker', 'COMPLETED'],
      ['Note Taker', 'COMPLETED'],
      ['Summarizer', 'ERROR'],
    ]);
    assert.match(before[2]!.content ?? '', /The summarizer is broken/);
    assert.deepEqual(roles(before[2]!), ['system', 'user'], 'the failed run got no answer');
    summary.broken = false;
    await h.engine.retryRun(failed.run_id);
    const output = await withDeadline('the retry', h.engine.waitForRun(failed.run_id), 120_000);
    assert.equal(output.status, 'COMPLETED', output.error);
    const runs = output.toDict().step_executor_runs ?? [];
    assert.deepEqual(runs.slice(0, 3), before, 'the failed attempt’s runs, unchanged');
    assert.deepEqual([runs[3]!.agent_name, runs[3]!.status, runs[3]!.content], ['Summarizer', 'COMPLETED', 'All noted.']);
  });
});
