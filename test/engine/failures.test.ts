/**
 * Provider failures and cancellation on a real Temporal dev server: what Temporal retries, what
 * fails the run at once, and how a cancel reaches a model call in flight.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIChat, OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import type { ActivityTimeouts } from '../../src/contracts/plan.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { waitUntil } from '../support/wait.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';

const writer = new Workflow({
  name: 'Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const chatWriter = new Workflow({
  name: 'Chat Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Chat Agent', model: new OpenAIChat({ id: 'llama3.1' }) }) })],
});

// Short heartbeats: a cancel reaches the model call within about a second.
const timeouts: ActivityTimeouts = { heartbeatTimeoutMs: 2000 };
const ANSWER = 'Durable agents keep their work through any crash, retry and restart.';
let h: Harness;

before(async () => {
  h = await startHarness();
  await h.startWorker([writer, chatWriter]);
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

const eventsOf = (runId: string) => collectEvents(h.engine, runId);

function deltaText(events: RunEvent[]): string {
  return events.filter((e) => e.event === 'RunContent').map((e) => e.content).join('');
}

describe('model failures', () => {
  it('retries a 429 after its retry-after and completes', async () => {
    h.openai.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } }, { kind: 'text', text: ANSWER });
    const output = await writer.arun({ input: 'Write', engine: h.engine, timeouts });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, ANSWER);
    assert.equal(h.openai.count(), 2);
  });

  it('retries a 500 on Chat Completions and completes', async () => {
    h.openai.enqueue({ kind: 'error', status: 500, message: 'The server had an error' }, { kind: 'text', text: ANSWER });
    const output = await chatWriter.arun({ input: 'Write', engine: h.engine, timeouts });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, ANSWER);
    assert.deepEqual(h.openai.requests.map((r) => r.api), ['chat', 'chat']);
  });

  it('ends ERROR with the provider message on a 401, without retrying', async () => {
    h.openai.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' });
    const output = await writer.arun({ input: 'Write', engine: h.engine, timeouts });
    assert.equal(output.status, 'ERROR');
    assert.match(output.error ?? '', /401: Incorrect API key provided: sk-test\./);
    assert.equal(h.openai.count(), 1);
    const events = await eventsOf(output.run_id);
    const last = events.at(-1);
    assert.equal(last?.event, 'WorkflowError');
    assert.match(String(last?.error), /Incorrect API key provided/);
    assert.equal(last?.step_name, 'Write');
    assert.equal((await writer.getRun(output.run_id, h.engine))?.status, 'ERROR');
  });

  it('keeps deltas adding up to the answer when a stream breaks and the call is retried', async () => {
    h.openai.enqueue({ kind: 'break_stream', text: ANSWER, afterChunks: 3 }, { kind: 'text', text: ANSWER });
    const output = await writer.arun({ input: 'Write', engine: h.engine, timeouts });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(h.openai.count(), 2);
    const events = await eventsOf(output.run_id);
    assert.equal(deltaText(events), ANSWER);
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  });
});

describe('cancellation', () => {
  it('reaches a model call in flight and ends the run CANCELLED', async () => {
    h.openai.enqueue({ kind: 'text', text: ANSWER.repeat(20), chunkDelayMs: 200 });
    const run = await writer.arun({ input: 'Write slowly', engine: h.engine, timeouts, background: true });
    // Wait until the model is streaming (its text arrives live), so the cancel lands mid-call.
    const seen: StreamedEvent[] = [];
    for await (const event of writer.streamRun(run.run_id, { engine: h.engine })) {
      seen.push(event);
      if (event.event === 'RunContent') break;
    }
    await writer.cancelRun(run.run_id, h.engine);
    const output = await h.engine.waitForRun(run.run_id);
    assert.equal(output.status, 'CANCELLED');
    const events = await eventsOf(run.run_id);
    assert.equal(events.at(-1)?.event, 'WorkflowCancelled');
    // The HTTP request to the model was aborted, not left to finish.
    await waitUntil('the model request to be aborted', () => h.openai.aborted > 0, { timeoutMs: 10_000 });
    assert.equal(h.openai.aborted, 1);
    assert.equal(h.openai.count(), 1);
  });
});
