/**
 * The model provider adapters against the loopback OpenAI fake, through the real `openai` client:
 * the wire request each builds from one provider-neutral conversation, streaming, and how each
 * maps the provider's errors onto the retry policy.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { modelProvider, modelProviders } from '../../src/activities/providers/index.ts';
import type { ModelRequest } from '../../src/activities/providers/index.ts';
import type { ModelCallInput } from '../../src/contracts/activities.ts';
import type { ModelProvider } from '../../src/contracts/plan.ts';
import { OpenAIChat } from '../../src/definitions/models.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI, FakeReply } from '../fakes/openai.ts';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(async () => fake?.close());
beforeEach(() => fake.reset());

function conversation(provider: ModelProvider): ModelCallInput {
  return {
    workflowId: 'wf',
    callId: 'wf/model-3',
    stream: true,
    model: { provider, id: 'gpt-5.2', ref: 'wf/agent', temperature: 0.2, maxOutputTokens: 50 },
    instructions: 'Be brief.',
    messages: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'checking', toolCalls: [{ id: 'call_1', name: 'price', arguments: '{"s":"NVDA"}' }, { id: 'call_2', name: 'news', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_1', toolName: 'price', content: '42' },
      { role: 'tool', toolCallId: 'call_2', toolName: 'news', content: 'none' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_3', name: 'price', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_3', toolName: 'price', content: '43' },
    ],
    tools: [{ name: 'price', description: 'Price', parameters: { type: 'object', properties: { s: { type: 'string' } } } }],
  };
}

function request(input: ModelCallInput, deltas: string[] = [], reasoningDeltas: string[] = []): ModelRequest {
  return {
    input,
    definition: undefined,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    signal: new AbortController().signal,
    onDelta: (text) => deltas.push(text),
    onReasoningDelta: (text) => reasoningDeltas.push(text),
  };
}

/** The failure the adapter makes of the error its call ends with. */
async function failureOf(provider: ModelProvider, reply: FakeReply): Promise<ApplicationFailure> {
  fake.enqueue(reply);
  const adapter = modelProviders[provider];
  const err = await adapter.call(request(conversation(provider))).then(
    () => assert.fail('the call should fail'),
    (e: unknown) => e,
  );
  const failure = adapter.failure(err);
  assert.ok(failure instanceof ApplicationFailure, `not an ApplicationFailure: ${String(failure)}`);
  return failure;
}

const TOOL_CALLS: FakeReply = { kind: 'tool_calls', text: 'ok', calls: [{ name: 'price', arguments: { s: 'A' }, callId: 'call_x' }, { name: 'news', arguments: {}, callId: 'call_y' }] };

describe('model provider adapters', () => {
  it('send the conversation as the Responses API expects it', async () => {
    fake.enqueue(TOOL_CALLS);
    const deltas: string[] = [];
    const result = await modelProviders['openai-responses'].call(request(conversation('openai-responses'), deltas));
    assert.equal(fake.requests[0]?.api, 'responses');
    assert.deepEqual(fake.requests[0]?.body, {
      model: 'gpt-5.2',
      input: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'checking' },
        { type: 'function_call', call_id: 'call_1', name: 'price', arguments: '{"s":"NVDA"}' },
        { type: 'function_call', call_id: 'call_2', name: 'news', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: '42' },
        { type: 'function_call_output', call_id: 'call_2', output: 'none' },
        { type: 'function_call', call_id: 'call_3', name: 'price', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_3', output: '43' },
      ],
      instructions: 'Be brief.',
      tools: [{ type: 'function', name: 'price', description: 'Price', parameters: { type: 'object', properties: { s: { type: 'string' } } }, strict: false }],
      temperature: 0.2,
      max_output_tokens: 50,
      stream: true,
    });
    assert.deepEqual(deltas, ['ok']);
    assert.deepEqual(result.toolCalls, [
      { id: 'call_x', name: 'price', arguments: '{"s":"A"}' },
      { id: 'call_y', name: 'news', arguments: '{}' },
    ]);
    assert.equal(result.content, 'ok');
  });

  it('send the conversation as Chat Completions expects it', async () => {
    fake.enqueue(TOOL_CALLS);
    const deltas: string[] = [];
    const result = await modelProviders['openai-chat'].call(request(conversation('openai-chat'), deltas));
    assert.equal(fake.requests[0]?.api, 'chat');
    assert.deepEqual(fake.requests[0]?.body, {
      model: 'gpt-5.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'checking',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'price', arguments: '{"s":"NVDA"}' } },
            { id: 'call_2', type: 'function', function: { name: 'news', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '42' },
        { role: 'tool', tool_call_id: 'call_2', content: 'none' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'price', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_3', content: '43' },
      ],
      tools: [{ type: 'function', function: { name: 'price', description: 'Price', parameters: { type: 'object', properties: { s: { type: 'string' } } } } }],
      temperature: 0.2,
      max_completion_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.deepEqual(deltas, ['ok']);
    assert.deepEqual(result.toolCalls, [
      { id: 'call_x', name: 'price', arguments: '{"s":"A"}' },
      { id: 'call_y', name: 'news', arguments: '{}' },
    ]);
    assert.equal(result.usage.total_tokens, result.usage.input_tokens + result.usage.output_tokens);
  });

  it('answer without streaming when the call does not stream, and send no deltas', async () => {
    for (const provider of Object.keys(modelProviders) as ModelProvider[]) {
      fake.reset();
      fake.enqueue({ kind: 'text', text: 'A whole answer.' });
      const deltas: string[] = [];
      const input: ModelCallInput = { ...conversation(provider), stream: false, instructions: '', tools: [], model: { provider, id: 'gpt-5.2', ref: 'r' }, messages: [{ role: 'user', content: 'hi' }] };
      const result = await modelProviders[provider].call(request(input, deltas));
      assert.equal(result.content, 'A whole answer.', provider);
      assert.deepEqual(deltas, [], provider);
      const key = provider === 'openai-chat' ? 'messages' : 'input';
      assert.deepEqual(fake.requests[0]?.body, { model: 'gpt-5.2', [key]: [{ role: 'user', content: 'hi' }], stream: false }, provider);
    }
  });

  it('carry the model’s reasoning apart from the answer, streamed or not', async () => {
    const reasoning = 'The user greets me, so I greet back.';
    for (const provider of Object.keys(modelProviders) as ModelProvider[]) {
      for (const stream of [true, false]) {
        fake.reset();
        fake.enqueue({ kind: 'text', text: 'Hello!', reasoning });
        const deltas: string[] = [];
        const reasoningDeltas: string[] = [];
        const input: ModelCallInput = { ...conversation(provider), stream, tools: [], messages: [{ role: 'user', content: 'hi' }] };
        if (provider === 'openai-responses') input.model = { ...input.model, reasoningSummary: 'auto' };
        const result = await modelProviders[provider].call(request(input, deltas, reasoningDeltas));
        const label = `${provider}, stream: ${stream}`;
        if (provider === 'openai-responses') assert.deepEqual((fake.requests[0]?.body as { reasoning?: unknown }).reasoning, { summary: 'auto' }, label);
        assert.equal(result.reasoning, reasoning, label);
        assert.equal(result.content, 'Hello!', label);
        assert.equal(deltas.join(''), stream ? 'Hello!' : '', label);
        assert.equal(reasoningDeltas.join(''), stream ? reasoning : '', label);
        if (stream) assert.ok(reasoningDeltas.length > 1, label);
      }
    }
  });

  for (const [provider, adapter] of Object.entries(modelProviders) as [ModelProvider, (typeof modelProviders)[ModelProvider]][]) {
    describe(`${adapter.displayName} errors`, () => {
      it('429 is retried after retry-after, named by the provider', async () => {
        const failure = await failureOf(provider, { kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } });
        assert.equal(failure.message, `${adapter.displayName} returned 429: Rate limit reached`);
        assert.equal(failure.type, 'ModelHttp429');
        assert.equal(failure.nonRetryable, false);
        assert.equal(failure.nextRetryDelay, 1000);
      });
      it('5xx is retried', async () => {
        const failure = await failureOf(provider, { kind: 'error', status: 503, message: 'Overloaded' });
        assert.equal(failure.nonRetryable, false);
        assert.equal(failure.nextRetryDelay, undefined);
      });
      it('401 fails at once with the provider’s own message', async () => {
        const failure = await failureOf(provider, { kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' });
        assert.equal(failure.message, `${adapter.displayName} returned 401: Incorrect API key provided: sk-test.`);
        assert.equal(failure.type, 'ModelHttp401');
        assert.equal(failure.nonRetryable, true);
      });
      it('a stream cut short is retried', async () => {
        const failure = await failureOf(provider, { kind: 'break_stream', text: 'Some words that never all arrive.', afterChunks: 2 });
        assert.equal(failure.type, 'ModelTransient');
        assert.equal(failure.nonRetryable, false);
        assert.match(failure.message, new RegExp(`^${adapter.displayName} call failed: `));
      });
    });
  }

  it('take the API key and base URL from the model definition before the environment', async () => {
    fake.enqueue({ kind: 'text', text: 'hi' });
    const definition = new OpenAIChat({ id: 'gpt-5.2', apiKey: 'sk-from-definition', baseURL: fake.url });
    await modelProviders['openai-chat'].call({ ...request(conversation('openai-chat')), definition, env: { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    assert.equal(fake.requests[0]?.headers['authorization'], 'Bearer sk-from-definition');
  });

  it('fail for good without an API key, and for a provider the worker does not know', async () => {
    await assert.rejects(modelProviders['openai-responses'].call({ ...request(conversation('openai-responses')), env: {} }), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'MissingApiKey');
      assert.equal(err.nonRetryable, true);
      return true;
    });
    assert.throws(() => modelProvider('carrier-pigeon' as ModelProvider), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'UnknownModelProvider');
      assert.equal(err.nonRetryable, true);
      return true;
    });
    assert.equal(fake.count(), 0);
  });
});
