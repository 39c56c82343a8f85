/**
 * The fake refuses what OpenAI refuses, with OpenAI's status and error body: no `Bearer` key, a
 * body that is not a JSON object, missing or mistyped fields, one API's body or tools sent to the
 * other, and tool calls and results that do not pair up. A refused request is recorded but never
 * reaches the script.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startFakeOpenAI } from './openai.ts';
import type { FakeOpenAI, OpenAIErrorBody } from './openai.ts';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(() => fake.close());
beforeEach(() => fake.reset());

const AUTH = { authorization: 'Bearer sk-test' };

async function send(path: string, body: unknown, headers: Record<string, string> = AUTH): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** OpenAI's answer to an invalid request: status 400 unless said otherwise. */
function refusal(message: string, param: string | null, code: string | null, status = 400): OpenAIErrorBody {
  return { status, message, type: 'invalid_request_error', param, code };
}

const user = { role: 'user', content: 'hi' };
const weather = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } };
const call = (id: string) => ({ id, type: 'function', function: { name: 'get_weather', arguments: '{}' } });

const NO_KEY = /^You didn't provide an API key\. You need to provide your API key in an Authorization header using Bearer auth/;

type Case = [name: string, path: '/responses' | '/chat/completions', body: unknown, expected: OpenAIErrorBody];

const RESPONSES_CASES: Case[] = [
  ['no model', '/responses', { input: 'hi' }, refusal("Missing required parameter: 'model'.", 'model', 'missing_required_parameter')],
  ['a model that is not a string', '/responses', { model: 5, input: 'hi' }, refusal("Invalid type for 'model': expected a string, but got an integer instead.", 'model', 'invalid_type')],
  ['no input', '/responses', { model: 'gpt-test' }, refusal("Missing required parameter: 'input'.", 'input', 'missing_required_parameter')],
  ['a Chat body', '/responses', { model: 'gpt-test', messages: [user] }, refusal("Unknown parameter: 'messages'.", 'messages', 'unknown_parameter')],
  [
    'Chat-shaped tools',
    '/responses',
    { model: 'gpt-test', input: 'hi', tools: [{ type: 'function', function: weather }] },
    refusal("Missing required parameter: 'tools[0].name'.", 'tools[0].name', 'missing_required_parameter'),
  ],
  [
    'a function_call_output with an unknown call_id',
    '/responses',
    { model: 'gpt-test', input: [user, { type: 'function_call_output', call_id: 'call_nope', output: '18C' }] },
    refusal('No tool call found for function call output with call_id call_nope.', 'input', null),
  ],
  [
    'a function_call_output before its function_call',
    '/responses',
    {
      model: 'gpt-test',
      input: [user, { type: 'function_call_output', call_id: 'call_1', output: '18C' }, { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' }],
    },
    refusal('No tool call found for function call output with call_id call_1.', 'input', null),
  ],
  [
    'a function_call never answered',
    '/responses',
    { model: 'gpt-test', input: [user, { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' }] },
    refusal('No tool output found for function call call_1.', 'input', null),
  ],
  ['an unknown role', '/responses', { model: 'gpt-test', input: [{ role: 'robot', content: 'hi' }] }, refusal("Invalid value: 'robot'. Supported values are: 'user', 'assistant', 'system', and 'developer'.", 'input[0].role', 'invalid_value')],
  [
    'output text in a user message',
    '/responses',
    { model: 'gpt-test', input: [{ role: 'user', content: [{ type: 'output_text', text: 'hi' }] }] },
    refusal("Invalid value: 'output_text'. Supported values are: 'input_text', 'input_image', and 'input_file'.", 'input[0].content[0].type', 'invalid_value'),
  ],
  [
    'max_output_tokens below 16',
    '/responses',
    { model: 'gpt-test', input: 'hi', max_output_tokens: 5 },
    refusal("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 5 instead.", 'max_output_tokens', 'integer_below_min_value'),
  ],
];

const CHAT_CASES: Case[] = [
  ['no model', '/chat/completions', { messages: [user] }, refusal("Missing required parameter: 'model'.", 'model', 'missing_required_parameter')],
  ['no messages', '/chat/completions', { model: 'gpt-test' }, refusal("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter')],
  [
    'no message at all',
    '/chat/completions',
    { model: 'gpt-test', messages: [] },
    refusal("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array'),
  ],
  ['a Responses body', '/chat/completions', { model: 'gpt-test', input: 'hi' }, refusal('Unrecognized request argument supplied: input', null, null)],
  ['Responses-shaped tools', '/chat/completions', { model: 'gpt-test', messages: [user], tools: [{ type: 'function', ...weather }] }, refusal("Missing required parameter: 'tools[0].function'.", 'tools[0].function', 'missing_required_parameter')],
  [
    'a tool message with no preceding call',
    '/chat/completions',
    { model: 'gpt-test', messages: [user, { role: 'tool', tool_call_id: 'call_1', content: '18C' }] },
    refusal("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", 'messages.[1].role', null),
  ],
  [
    'a tool message answering a call its assistant message did not make',
    '/chat/completions',
    { model: 'gpt-test', messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_a')] }, { role: 'tool', tool_call_id: 'call_b', content: '18C' }] },
    refusal("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", 'messages.[2].role', null),
  ],
  [
    'a tool call left unanswered before the next message',
    '/chat/completions',
    {
      model: 'gpt-test',
      messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_a'), call('call_b')] }, { role: 'tool', tool_call_id: 'call_a', content: '18C' }, user],
    },
    refusal(
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_b",
      'messages.[1].role',
      null,
    ),
  ],
  [
    'a tool call left unanswered at the end',
    '/chat/completions',
    { model: 'gpt-test', messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_a')] }] },
    refusal(
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: call_a",
      'messages.[1].role',
      null,
    ),
  ],
  ['a user message without content', '/chat/completions', { model: 'gpt-test', messages: [{ role: 'user' }] }, refusal("Missing required parameter: 'messages[0].content'.", 'messages[0].content', 'missing_required_parameter')],
  [
    'stream_options without stream',
    '/chat/completions',
    { model: 'gpt-test', messages: [user], stream_options: { include_usage: true } },
    refusal("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', null),
  ],
  [
    'a temperature above 2',
    '/chat/completions',
    { model: 'gpt-test', messages: [user], temperature: 3 },
    refusal("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", 'temperature', 'decimal_above_max_value'),
  ],
];

describe('the fake OpenAI refuses what OpenAI refuses', () => {
  for (const path of ['/responses', '/chat/completions']) {
    test(`${path}: 401 invalid_api_key without a Bearer key`, async () => {
      for (const headers of [{}, { authorization: 'Basic c2stdGVzdDo=' }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
        const { status, body } = await send(path, { model: 'gpt-test', input: 'hi', messages: [user] }, headers);
        assert.equal(status, 401, JSON.stringify(headers));
        const error = (body as { error: Record<string, unknown> }).error;
        assert.deepEqual({ ...error, message: undefined }, { message: undefined, type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
        assert.match(String(error.message), NO_KEY);
      }
    });

    test(`${path}: 400 for a body that is not a JSON object`, async () => {
      const broken = await send(path, '{"model": "gpt-test",');
      assert.equal(broken.status, 400);
      assert.deepEqual(Object.keys((broken.body as { error: object }).error), ['message', 'type', 'param', 'code']);
      assert.match((broken.body as { error: { message: string } }).error.message, /^We could not parse the JSON body of your request\./);
      const array = await send(path, [{ model: 'gpt-test' }]);
      assert.deepEqual(array, { status: 400, body: { error: { message: 'Invalid type for body: expected an object, but got an array instead.', type: 'invalid_request_error', param: null, code: 'invalid_type' } } });
    });
  }

  for (const [name, path, body, { status, ...error }] of [...RESPONSES_CASES, ...CHAT_CASES]) {
    test(`${path}: ${name}`, async () => {
      fake.enqueue({ kind: 'text', text: 'never sent' });
      assert.deepEqual(await send(path, body), { status, body: { error } });
      assert.deepEqual(fake.requests[0]?.rejected, { status, ...error }, 'recorded as refused');
      assert.deepEqual(fake.requests[0]?.body, body, 'recorded as sent');
    });
  }

  test('a refused request never reaches the script, and the next valid one does', async () => {
    fake.enqueue({ kind: 'text', text: 'for the valid request' });
    assert.equal((await send('/responses', { model: 'gpt-test', messages: [user] })).status, 400);
    const valid = await send('/responses', { model: 'gpt-test', input: 'hi' });
    assert.equal(valid.status, 200);
    assert.equal((valid.body as { output: { content: { text: string }[] }[] }).output[0]?.content[0]?.text, 'for the valid request');
    assert.deepEqual(fake.requests.map((r) => r.rejected?.status), [400, undefined]);
  });

  test('the openai client sees the refusal as a BadRequestError with its param and code', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }, { role: 'tool', tool_call_id: 'call_1', content: '18C' }] }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'messages.[1].role' && /must be a response to a preceeding message/.test(err.message),
    );
  });

  test('with an expected key, another key is refused as incorrect', async () => {
    const keyed = await startFakeOpenAI({ apiKey: 'sk-right-key' });
    try {
      const response = await fetch(`${keyed.url}/responses`, { method: 'POST', headers: { authorization: 'Bearer sk-wrong-key', 'content-type': 'application/json' }, body: '{}' });
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        error: {
          message: 'Incorrect API key provided: sk-*****-key. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    } finally {
      await keyed.close();
    }
  });
});
