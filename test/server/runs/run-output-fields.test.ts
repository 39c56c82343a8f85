/**
 * What a run's output says beyond its steps, as AgentOS shows it: the metadata given on start
 * (also after a retry), the events of the run (within their byte budget), a paused run's
 * pause_kind, paused step and requirement details (kept after it continues), a cancelled run's
 * content and cancellation_stage, the token totals of sessions (GET /sessions and a session's
 * detail), and Agno's fields on every content chunk, live and logged.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { RunOutputDict, RunSummary } from '../../../src/contracts/events.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded, postJson, readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';

/** Broken until the test "deploys the fix". */
let broken = true;
const flaky = new Workflow({
  name: 'Flaky',
  steps: [
    new Step({ name: 'Prepare', executor: () => 'prepared' }),
    new Step({
      name: 'Send',
      executor: () => {
        if (broken) throw ApplicationFailure.nonRetryable('the mail service is down', 'MailDown');
        return 'sent';
      },
    }),
  ],
});
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({ name: 'Draft', executor: () => 'draft of the post' }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish it?', executor: () => 'published' }),
  ],
});
const held = new Workflow({
  name: 'Held',
  onFailure: 'hold',
  steps: [new Step({ name: 'Break', executor: () => ({ content: '', success: false, error: 'the printer is on fire' }) })],
});
const writer = new Workflow({
  name: 'Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([flaky, approval, held, writer]);
});
after(async () => h?.close());
beforeEach(() => {
  broken = true;
  h.openai.reset();
});

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;
const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

async function startInBackground(workflow: string, body: Record<string, unknown> = {}): Promise<string> {
  const response = await postJson(runsUrl(workflow), { message: 'hello', stream: false, background: true, ...body });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

const waitForStatus = (workflow: string, runId: string, status: string) =>
  waitUntil(`run ${runId} to be ${status}`, async () => {
    const output = await getJson<RunOutputDict>(`${runsUrl(workflow)}/${runId}`);
    return output.status === status && output;
  });

describe('metadata', () => {
  it('is kept with the run, shown on its output and WorkflowCompleted, and survives a retry', async () => {
    const metadata = { campaign: 'spring', owner: { team: 'growth' } };
    const runId = await startInBackground('flaky', { metadata });
    const failed = await waitForStatus('flaky', runId, 'ERROR');
    assert.deepEqual(failed.metadata, metadata);

    broken = false;
    assert.equal((await fetch(`${runsUrl('flaky')}/${runId}/retry`, { method: 'POST' })).status, 202);
    const done = (await pollRunUntilEnded(`${runsUrl('flaky')}/${runId}`)) as unknown as RunOutputDict;
    assert.equal(done.status, 'COMPLETED');
    assert.deepEqual(done.metadata, metadata, 'the retry keeps the metadata');
    const completed = done.events?.find((event) => event.event === 'WorkflowCompleted');
    assert.deepEqual(completed && 'metadata' in completed ? completed.metadata : undefined, metadata);
  });

  it('survives a continue-as-new', async () => {
    broken = false;
    const metadata = { batch: 7 };
    const { output: started } = await h.engine.startRun(flaky.toPlan(), { input: 'hello', metadata, historyBudget: { events: 10 } });
    const done = (await h.engine.waitForRun(started.run_id)).toDict();
    assert.equal(done.status, 'COMPLETED');
    const executions = await waitUntil('the run’s executions', async () => {
      const all = [];
      for await (const execution of h.engine.client.workflow.list({ query: `WorkflowId = '${started.run_id}'` })) all.push(execution);
      return all.length > 1 && all;
    });
    assert.ok(executions.some((execution) => execution.status.name === 'CONTINUED_AS_NEW'), 'it continued as new');
    assert.deepEqual(done.metadata, metadata);
  });

  it('is {} when none was given', async () => {
    const runId = await startInBackground('flaky');
    assert.deepEqual((await waitForStatus('flaky', runId, 'ERROR')).metadata, {});
  });
});

describe('events in the output', () => {
  it('a run read has its whole log; a smaller budget cuts it at a whole event and says so', async () => {
    broken = false;
    const runId = await startInBackground('flaky');
    const done = (await pollRunUntilEnded(`${runsUrl('flaky')}/${runId}`)) as unknown as RunOutputDict;
    const events = done.events ?? [];
    assert.deepEqual(
      events.map((event) => event.event_index),
      events.map((_, i) => i),
      'from the first event, gapless',
    );
    assert.equal(events[0]?.event, 'WorkflowStarted');
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(done.events_truncated, undefined);

    const budget = JSON.stringify(events.slice(0, 3)).length;
    const cut = (await h.engine.getRun(runId, { eventBytes: budget }))!.toDict();
    assert.ok(cut.events!.length >= 1 && cut.events!.length < events.length, `cut at ${cut.events!.length} of ${events.length}`);
    assert.ok(cut.events!.reduce((sum, event) => sum + JSON.stringify(event).length, 0) <= budget);
    assert.equal(cut.events_truncated, true);

    const listed = await getJson<RunOutputDict[]>(`${runsUrl('flaky')}?session_id=${encodeURIComponent(done.session_id)}`);
    assert.deepEqual(listed[0]?.events?.map((event) => event.event_index), events.map((event) => event.event_index), 'lists carry the events too');
    assert.equal((await h.engine.getRun(runId))!.toDict().events, undefined, 'the engine reads no events unless asked');
  });
});

describe('a run waiting for a person', () => {
  it('shows pause_kind, its paused step and Agno’s requirement details, kept with the answer after it continues', async () => {
    const runId = await startInBackground('approval', { additional_data: { channel: 'blog' } });
    const paused = await waitForStatus('approval', runId, 'PAUSED');
    assert.equal(paused.pause_kind, 'step');
    assert.equal(paused.paused_step_name, 'Publish');
    assert.equal(paused.paused_step_index, 1);
    const [requirement] = paused.step_requirements ?? [];
    assert.ok(requirement);
    assert.equal(requirement.step_type, 'Step');
    assert.equal(requirement.on_reject, 'skip');
    assert.equal(requirement.on_timeout, 'skip');
    assert.equal(requirement.confirmation_message, 'Publish it?');
    assert.deepEqual([requirement.retry_count, requirement.max_retries, requirement.requires_output_review], [0, 0, false]);
    assert.equal(requirement.step_input?.input, 'hello');
    assert.equal(requirement.step_input?.previous_step_content, 'draft of the post');
    assert.equal(requirement.step_input?.previous_step_outputs.Draft?.content, 'draft of the post');
    assert.deepEqual(requirement.step_input?.additional_data, { channel: 'blog' });

    // As Agno's clients do: the requirement sent back whole, with the answer.
    const continued = await postJson(`${runsUrl('approval')}/${runId}/continue`, { step_requirements: [{ ...requirement, confirmed: true }], stream: false });
    assert.equal(continued.status, 200);
    const done = (await continued.json()) as RunOutputDict;
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, 'published');
    assert.equal(done.pause_kind, undefined);
    assert.equal(done.paused_step_name, undefined);
    assert.equal(done.step_requirements?.length, 1, 'the question stays, as history');
    assert.equal(done.step_requirements?.[0]?.confirmed, true);
    assert.ok(done.events?.some((event) => event.event === 'StepContinued'));

    const [sessionRun] = await getJson<Record<string, unknown>[]>(`${h.api.url}/sessions/${encodeURIComponent(done.session_id)}/runs`);
    assert.equal((sessionRun?.step_requirements as unknown[] | undefined)?.length, 1);
    assert.equal(sessionRun?.pause_kind, undefined);
  });
});

describe('a cancelled run', () => {
  it('has Agno’s cancellation message as its content, and says it waited for a person', async () => {
    const runId = await startInBackground('approval');
    await waitForStatus('approval', runId, 'PAUSED');
    assert.equal((await fetch(`${runsUrl('approval')}/${runId}/cancel`, { method: 'POST' })).status, 200);
    const cancelled = await waitForStatus('approval', runId, 'CANCELLED');
    assert.equal(cancelled.content, `Run ${runId} was cancelled`);
    assert.equal(cancelled.cancellation_stage, 'PAUSED');
    assert.equal(cancelled.pause_kind, undefined);
    assert.equal(cancelled.step_requirements?.length, 1, 'what it asked stays');
  });

  it('held after a failure, was executing', async () => {
    const runId = await startInBackground('held');
    const paused = await waitForStatus('held', runId, 'PAUSED');
    assert.equal(paused.pause_kind, undefined, 'held, not waiting for a person');
    assert.equal(paused.paused_step_name, 'Break');
    await fetch(`${runsUrl('held')}/${runId}/cancel`, { method: 'POST' });
    const cancelled = await waitForStatus('held', runId, 'CANCELLED');
    assert.equal(cancelled.content, `Run ${runId} was cancelled`);
    assert.equal(cancelled.cancellation_stage, 'EXECUTING');
  });
});

describe('session token totals', () => {
  it('GET /sessions sums each session’s runs, per model, from what visibility lists; the detail agrees', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: 'A post about durable agents.', usage: { input: 30, output: 12 } }));
    const sessionId = `tokens-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const runId = await startInBackground('writer', { session_id: sessionId });
      await pollRunUntilEnded(`${runsUrl('writer')}/${runId}`);
    }
    const expected = { input_tokens: 60, output_tokens: 24, total_tokens: 84 };
    // Visibility is eventually consistent: the memo of a run just ended may lag a moment.
    const listed = await waitUntil('the session’s tokens in GET /sessions', async () => {
      const page = await getJson<{ data: Record<string, unknown>[] }>(`${h.api.url}/sessions?type=workflow&limit=100`);
      const session = page.data.find((s) => s.session_id === sessionId);
      return session?.total_tokens === expected.total_tokens && session;
    });
    assert.deepEqual(listed.metrics, { ...expected, details: { model: [{ id: 'gpt-5.2', provider: 'OpenAIResponses', ...expected }] } });

    const detail = await getJson<{ session_data: { session_metrics: unknown } }>(`${h.api.url}/sessions/${sessionId}?type=workflow`);
    assert.deepEqual(detail.session_data.session_metrics, listed.metrics);

    const runs = await getJson<RunSummary[]>(`${h.api.url}/runs?session_id=${sessionId}`);
    assert.deepEqual(
      runs.map((run) => run.tokens?.total_tokens),
      [42, 42],
      'each run keeps its own totals',
    );
  });
});

describe('content chunks', () => {
  it('carry Agno’s content_type, reasoning_content and workflow_agent, live and in the log alike', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: 'Durable agents keep their work through any crash.', chunkDelayMs: 20 }));
    const response = await postJson(runsUrl('writer'), { message: 'write', stream: true });
    const { events } = await readFrames(response);
    const chunks = events.filter((event) => event.event === 'RunContent');
    assert.ok(chunks.some((chunk) => chunk.event_index === undefined), 'some text came live');
    assert.ok(chunks.some((chunk) => chunk.event_index !== undefined), 'and the log’s chunks came too');
    for (const chunk of chunks) {
      assert.deepEqual([chunk.content_type, chunk.reasoning_content, chunk.workflow_agent], ['str', '', false], JSON.stringify(chunk));
    }
  });
});
