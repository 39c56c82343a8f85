/**
 * Model calls against the strict OpenAI fake, on the Responses API and on Chat Completions.
 *
 * Faults injected into the first attempt of a call: the run completes, its log is whole (gapless,
 * deltas add up to the answer), the call completed once, and the provider saw no more requests
 * than Temporal recorded attempts, each retry the same request as the first: nothing lost, nothing
 * done twice. Answers cut short: a failure worth another attempt is retried; one that would repeat
 * (the output token limit, a content filter, an invalid prompt) fails the run at once with the
 * reason, with no attempt after it, never passing on a partial answer. Counts are checked against
 * the attempts in the run's history, not as exact numbers: on a starved machine a worker may miss
 * a heartbeat and Temporal run an attempt again, which is correct. And the raw requests on the
 * wire: bodies, headers, a tool call and its result.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIChat, OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeApi, FakeReply } from '../fakes/openai.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { activityAttempts } from './history-accounting.ts';

const ANSWER = 'A durable answer, streamed in many small pieces so faults can land mid-stream.';
const add = defineTool<{ a: number; b: number }>({
  name: 'add',
  description: 'Adds two numbers.',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  execute: ({ a, b }) => String(a + b),
});
const INSTRUCTIONS = 'Answer with the add tool.';
/** The system prompt the agent builds from them, in Agno's layout. */
const SYSTEM_PROMPT = `<instructions>\n- ${INSTRUCTIONS}\n</instructions>`;
const models = { responses: new OpenAIResponses({ id: 'gpt-5.2' }), chat: new OpenAIChat({ id: 'llama3.1' }) };
const workflows = Object.fromEntries(
  (Object.keys(models) as FakeApi[]).map((api) => [
    api,
    new Workflow({ name: `Faulty ${api}`, steps: [new Step({ name: 'Answer', agent: new Agent({ name: `${api} agent`, model: models[api], instructions: INSTRUCTIONS, tools: [add] }) })] }),
  ]),
) as Record<FakeApi, Workflow>;
const PROVIDER: Record<FakeApi, string> = { responses: 'OpenAI Responses', chat: 'OpenAI Chat Completions' };

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker(Object.values(workflows));
});
after(async () => h?.close());
beforeEach(() => {
  h.openai.reset();
  // Whatever a test does not script otherwise (a retry, above all) gets the whole answer.
  h.openai.setHandler(() => ({ kind: 'text', text: ANSWER }));
});

/** Runs the workflow of `api`; a short call timeout turns "no answer" into a retry within seconds. */
const run = (api: FakeApi) => workflows[api].arun({ input: 'go', engine: h.engine, timeouts: { heartbeatTimeoutMs: 2000, modelCallTimeoutMs: 3000 } });

async function assertRecovered(api: FakeApi): Promise<void> {
  const output = await run(api);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, ANSWER);
  const events = await collectEvents(h.engine, output.run_id);
  assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  assert.equal(events.filter((e) => e.event === 'RunContent').map((e) => e.content).join(''), ANSWER);
  const attempts = await activityAttempts(h.engine.client, [output.run_id]);
  assert.equal(attempts.completed.callModel, 1, 'one model call, completed once');
  const requests = h.openai.count();
  assert.ok(attempts.callModel >= 2, `the faulty attempt and a good one: ${attempts.callModel} attempts recorded`);
  assert.ok(requests >= 2 && requests <= attempts.callModel, `no request beyond one per recorded attempt: ${requests} requests, ${attempts.callModel} attempts`);
  for (const request of h.openai.requests.slice(1)) assert.deepEqual(request.body, h.openai.requests[0]?.body, 'a retry sends the same request');
}

const FAULTS: [string, FakeReply][] = [
  ['429 with retry-after', { kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } }],
  ['500', { kind: 'error', status: 500, message: 'The server had an error' }],
  ['503', { kind: 'error', status: 503, message: 'Overloaded' }],
  ['connection reset mid-stream', { kind: 'break_stream', text: ANSWER, afterChunks: 4 }],
  ['malformed stream chunk', { kind: 'malformed_chunk', text: ANSWER, afterChunks: 3 }],
  ['an error event mid-stream', { kind: 'stream_error', code: 'server_error', message: 'An error occurred while processing your request.', text: ANSWER, afterChunks: 2 }],
  ['timeout (no answer)', { kind: 'hang' }],
];

for (const api of Object.keys(workflows) as FakeApi[]) {
  describe(`${api} API`, () => {
    for (const [name, fault] of FAULTS) {
      it(`recovers from ${name}`, async () => {
        h.openai.enqueue(fault);
        await assertRecovered(api);
      });
    }
  });
}

describe('answers cut short', () => {
  it('responses: a response.failed for a server error is retried', async () => {
    h.openai.enqueue({ kind: 'response_failed', code: 'server_error', message: 'The model had an error.', text: ANSWER, afterChunks: 2 });
    await assertRecovered('responses');
  });

  const FINAL: [FakeApi, string, FakeReply, string][] = [
    ['responses', 'response.incomplete at the output token limit', { kind: 'incomplete', text: ANSWER, reason: 'max_output_tokens', afterChunks: 3 }, 'stopped before the answer was complete: max_output_tokens'],
    ['responses', 'response.incomplete by the content filter', { kind: 'incomplete', text: ANSWER, reason: 'content_filter', afterChunks: 3 }, 'stopped before the answer was complete: content_filter'],
    ['responses', 'response.failed for an invalid prompt', { kind: 'response_failed', code: 'invalid_prompt', message: 'Invalid prompt: flagged.' }, 'the response failed: Invalid prompt: flagged. (invalid_prompt)'],
    ['chat', "finish_reason 'length'", { kind: 'incomplete', text: ANSWER, reason: 'max_output_tokens', afterChunks: 3 }, 'stopped before the answer was complete: finish_reason length'],
    ['chat', "finish_reason 'content_filter'", { kind: 'incomplete', text: ANSWER, reason: 'content_filter', afterChunks: 3 }, 'stopped before the answer was complete: finish_reason content_filter'],
  ];
  for (const [api, name, reply, reason] of FINAL) {
    it(`${api}: ${name} fails the run at once with the reason, passing no partial answer on`, async () => {
      // Every attempt gets the cut answer: an attempt Temporal makes again after a missed
      // heartbeat ends the same way, so the outcome does not depend on the machine's speed.
      h.openai.setHandler(() => reply);
      const output = await run(api);
      assert.equal(output.status, 'ERROR');
      assert.equal(output.error, `${PROVIDER[api]} ${reason}`);
      const attempts = await activityAttempts(h.engine.client, [output.run_id]);
      assert.equal(attempts.failedForGood.callModel, 1, 'the call failed with a failure that forbids another attempt: none followed');
      assert.equal(attempts.completed.callModel, 0);
      assert.ok(h.openai.count() >= 1 && h.openai.count() <= attempts.callModel, `no request beyond one per recorded attempt: ${h.openai.count()} requests, ${attempts.callModel} attempts`);
      const events = await collectEvents(h.engine, output.run_id);
      assert.equal(events.at(-1)?.event, 'WorkflowError');
      assert.ok(!events.some((e) => e.event === 'RunCompleted'), 'the partial answer is not an agent result');
    });
  }
});

describe('requests on the wire', () => {
  for (const api of Object.keys(workflows) as FakeApi[]) {
    it(`${api}: the bodies and headers of a tool round trip`, async () => {
      h.openai.setHandler((req) =>
        req.toolResults.length === 0 ? { kind: 'tool_calls', calls: [{ name: 'add', arguments: { a: 2, b: 3 }, callId: 'call_add' }] } : { kind: 'text', text: 'The sum is 5.' },
      );
      const output = await workflows[api].arun({ input: 'What is 2 + 3?', engine: h.engine });
      assert.equal(output.status, 'COMPLETED', output.error);
      assert.equal(output.content, 'The sum is 5.');
      const [ask, answer] = h.openai.requests;
      assert.equal(h.openai.count(), 2);
      for (const request of [ask, answer]) {
        assert.equal(request?.path, api === 'responses' ? '/v1/responses' : '/v1/chat/completions');
        assert.equal(request?.headers.authorization, 'Bearer sk-test');
        assert.equal(request?.headers['content-type'], 'application/json');
        assert.equal(request?.rejected, undefined);
      }
      const parameters = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] };
      const question = { role: 'user', content: 'What is 2 + 3?' };
      if (api === 'responses') {
        const first = { model: 'gpt-5.2', input: [question], instructions: SYSTEM_PROMPT, tools: [{ type: 'function', name: 'add', description: 'Adds two numbers.', parameters, strict: false }], stream: true };
        assert.deepEqual(ask?.body, first);
        assert.deepEqual(answer?.body, {
          ...first,
          input: [question, { type: 'function_call', call_id: 'call_add', name: 'add', arguments: '{"a":2,"b":3}' }, { type: 'function_call_output', call_id: 'call_add', output: '5' }],
        });
      } else {
        const first = {
          model: 'llama3.1',
          messages: [{ role: 'system', content: SYSTEM_PROMPT }, question],
          tools: [{ type: 'function', function: { name: 'add', description: 'Adds two numbers.', parameters } }],
          stream: true,
          stream_options: { include_usage: true },
        };
        assert.deepEqual(ask?.body, first);
        assert.deepEqual(answer?.body, {
          ...first,
          messages: [
            ...first.messages,
            { role: 'assistant', content: null, tool_calls: [{ id: 'call_add', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } }] },
            { role: 'tool', tool_call_id: 'call_add', content: '5' },
          ],
        });
      }
    });
  }
});
