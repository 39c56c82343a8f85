/** Checks the OpenAI fake against the real `openai` client, so wire-format drift shows up here first. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { splitIntoChunks, startFakeOpenAI } from './openai.ts';
import type { FakeOpenAI } from './openai.ts';

const weatherToolResponses = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
const weatherToolChat = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: weatherToolResponses.parameters },
};

let fake: FakeOpenAI;
let client: OpenAI;
before(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
});
after(() => fake.close());
beforeEach(() => fake.reset());

describe('fake OpenAI wire format', () => {
  test('splitIntoChunks keeps all text', () => {
    assert.deepEqual(splitIntoChunks('Hello big world'), ['Hello ', 'big ', 'world']);
    assert.deepEqual(splitIntoChunks('abcdefg', 3), ['abc', 'def', 'g']);
    assert.deepEqual(splitIntoChunks(''), []);
  });

  test('responses streaming text: deltas add up and the event sequence is real', async () => {
    fake.enqueue({ kind: 'text', text: 'The quick brown fox.', usage: { input: 11, output: 5 } });
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    let text = '';
    const types: string[] = [];
    const seqs: number[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      seqs.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(text, 'The quick brown fox.');
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.deepEqual(seqs, types.map((_, i) => i));
    assert.ok(completed);
    assert.equal(completed.status, 'completed');
    assert.deepEqual(completed.usage?.input_tokens, 11);
    assert.equal(completed.usage?.total_tokens, 16);
    const message = completed.output[0];
    assert.equal(message?.type, 'message');
    assert.equal(message?.type === 'message' && message.content[0]?.type === 'output_text' ? message.content[0].text : '', text);
    assert.equal(fake.requests[0]?.stream, true);
  });

  test('responses.stream helper accumulates the final response', async () => {
    fake.enqueue({ kind: 'text', text: 'Helper works', chunks: ['Hel', 'per ', 'works'] });
    const stream = client.responses.stream({ model: 'gpt-test', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    assert.deepEqual(deltas, ['Hel', 'per ', 'works']);
    assert.equal(final.output_text, 'Helper works');
  });

  test('responses non-streaming output_text', async () => {
    fake.enqueue({ kind: 'text', text: 'Plain answer' });
    const response = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_/);
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, 'Plain answer');
    assert.ok((response.usage?.output_tokens ?? 0) > 0);
  });

  test('responses function calls, non-streaming and streaming', async () => {
    fake.enqueue(
      { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, { name: 'get_weather', arguments: { city: 'Rome' }, callId: 'call_fixed' }] },
      { kind: 'tool_calls', text: 'Let me check.', calls: [{ name: 'get_weather', arguments: { city: 'A very long city name indeed' } }] },
    );
    const response = await client.responses.create({ model: 'gpt-test', input: 'weather?', tools: [weatherToolResponses] });
    const calls = response.output.filter((item) => item.type === 'function_call');
    assert.equal(calls.length, 2);
    assert.match(calls[0]?.call_id ?? '', /^call_\d+$/);
    assert.equal(calls[0]?.name, 'get_weather');
    assert.deepEqual(JSON.parse(calls[0]?.arguments ?? ''), { city: 'Paris' });
    assert.equal(calls[1]?.call_id, 'call_fixed');
    assert.equal(response.output_text, '');

    const stream = await client.responses.create({ model: 'gpt-test', input: 'weather?', tools: [weatherToolResponses], stream: true });
    let args = '';
    let text = '';
    let added: OpenAI.Responses.ResponseOutputItem | undefined;
    let doneArgs = '';
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.output_item.added' && event.item.type === 'function_call') added = event.item;
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.function_call_arguments.done') doneArgs = event.arguments;
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') final = event.response;
    }
    assert.equal(text, 'Let me check.');
    assert.ok(added && added.type === 'function_call');
    assert.equal(added.name, 'get_weather');
    assert.equal(added.arguments, '');
    assert.equal(args, doneArgs);
    assert.deepEqual(JSON.parse(args), { city: 'A very long city name indeed' });
    assert.deepEqual(
      final?.output.map((item) => item.type),
      ['message', 'function_call'],
    );
  });

  test('chat completions text and tool calls, non-streaming and streaming', async () => {
    fake.enqueue(
      { kind: 'text', text: 'Chat hello' },
      { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, callId: 'call_a' }] },
      { kind: 'text', text: 'Streaming chat text', usage: { input: 3, output: 4 } },
      { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Lisbon, Portugal, Europe' } }, { name: 'get_weather', arguments: { city: 'Bern' } }] },
    );
    const plain = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(plain.object, 'chat.completion');
    assert.equal(plain.choices[0]?.message.content, 'Chat hello');
    assert.equal(plain.choices[0]?.finish_reason, 'stop');

    const withTools = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'weather' }], tools: [weatherToolChat] });
    const toolCall = withTools.choices[0]?.message.tool_calls?.[0];
    assert.equal(withTools.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(toolCall && toolCall.type === 'function');
    assert.equal(toolCall.id, 'call_a');
    assert.equal(toolCall.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(toolCall.function.arguments), { city: 'Oslo' });

    const textStream = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of textStream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'Streaming chat text');
    assert.equal(finish, 'stop');
    assert.equal(usage?.total_tokens, 7);

    // The SDK's stream helper assembles tool_call deltas exactly as for the real API.
    const runner = client.chat.completions.stream({ model: 'gpt-test', messages: [{ role: 'user', content: 'weather' }], tools: [weatherToolChat] });
    const completion = await runner.finalChatCompletion();
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(calls.length, 2);
    const [first, second] = calls;
    assert.ok(first?.type === 'function' && second?.type === 'function');
    assert.match(first.id, /^call_\d+$/);
    assert.notEqual(first.id, second.id);
    assert.deepEqual(JSON.parse(first.function.arguments), { city: 'Lisbon, Portugal, Europe' });
    assert.deepEqual(JSON.parse(second.function.arguments), { city: 'Bern' });
  });

  test('handler is used when the queue is empty and sees the request index', async () => {
    fake.setHandler((req) => ({ kind: 'text', text: `reply #${req.index} to ${req.lastUserText}` }));
    fake.enqueue({ kind: 'text', text: 'queued first' });
    const a = await client.responses.create({ model: 'gpt-test', input: 'one' });
    const b = await client.responses.create({ model: 'gpt-test', input: 'two' });
    assert.equal(a.output_text, 'queued first');
    assert.equal(b.output_text, 'reply #1 to two');
    assert.equal(fake.count((r) => r.lastUserText === 'two'), 1);
  });

  test('normalises Responses requests', async () => {
    fake.setHandler(() => ({ kind: 'text', text: 'ok' }));
    await client.responses.create({
      model: 'gpt-test',
      instructions: 'Be terse.',
      tools: [weatherToolResponses],
      input: [
        { role: 'developer', content: 'Use metric units.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '18C sunny' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'It is 18C.', annotations: [] }], id: 'msg_1', status: 'completed' },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    const req = fake.requests[0];
    assert.ok(req);
    assert.equal(req.api, 'responses');
    assert.equal(req.model, 'gpt-test');
    assert.equal(req.stream, false);
    assert.equal(req.system, 'Be terse.\nUse metric units.');
    assert.equal(req.lastUserText, 'Thanks!');
    assert.deepEqual(req.toolNames, ['get_weather']);
    assert.deepEqual(req.toolResults, [{ callId: 'call_1', output: '18C sunny' }]);
    assert.deepEqual(req.messages, [
      { role: 'developer', content: 'Use metric units.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ callId: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', content: '18C sunny', toolCallId: 'call_1' },
      { role: 'assistant', content: 'It is 18C.' },
      { role: 'user', content: 'Thanks!' },
    ]);
    assert.equal(req.headers['authorization'], 'Bearer test');
    assert.equal(req.index, 0);
  });

  test('normalises Chat Completions requests', async () => {
    fake.setHandler(() => ({ kind: 'text', text: 'ok' }));
    await client.chat.completions.create({
      model: 'gpt-chat',
      tools: [weatherToolChat],
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_9', content: '18C sunny' },
        { role: 'user', content: 'Thanks!' },
      ],
    });
    const req = fake.requests[0];
    assert.ok(req);
    assert.equal(req.api, 'chat');
    assert.equal(req.model, 'gpt-chat');
    assert.equal(req.system, 'Be terse.\nUse metric units.');
    assert.equal(req.lastUserText, 'Thanks!');
    assert.deepEqual(req.toolNames, ['get_weather']);
    assert.deepEqual(req.toolResults, [{ callId: 'call_9', output: '18C sunny' }]);
    assert.deepEqual(req.messages, [
      { role: 'system', content: 'Be terse.' },
      { role: 'developer', content: 'Use metric units.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ callId: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', content: '18C sunny', toolCallId: 'call_9' },
      { role: 'user', content: 'Thanks!' },
    ]);
  });

  test('reset clears requests, queue and aborted but keeps the handler', async () => {
    fake.setHandler(() => ({ kind: 'text', text: 'from handler' }));
    fake.enqueue({ kind: 'text', text: 'stale' });
    fake.reset();
    const response = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    assert.equal(response.output_text, 'from handler');
    assert.equal(fake.count(), 1);
  });
});
