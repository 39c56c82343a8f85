/** Failures the fake scripts, as the real `openai` client sees them: HTTP errors, broken streams, answers cut short. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startFakeOpenAI } from './openai.ts';
import type { FakeOpenAI } from './openai.ts';
import { waitUntil } from '../support/wait.ts';

let fake: FakeOpenAI;
let client: OpenAI;
before(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
});
after(() => fake.close());
beforeEach(() => fake.reset());

describe('fake OpenAI scripted failures', () => {
  test('429 with retry-after surfaces as APIError with status and headers', async () => {
    fake.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } });
    await assert.rejects(client.responses.create({ model: 'gpt-test', input: 'hi' }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.status, 429);
      assert.equal(err.headers?.get('retry-after'), '1');
      assert.equal(err.code, 'rate_limit_exceeded');
      assert.match(err.message, /Rate limit reached/);
      return true;
    });
    assert.equal(fake.count(), 1);
  });

  test('401 message surfaces (streaming chat request)', async () => {
    fake.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.AuthenticationError);
        assert.equal(err.status, 401);
        assert.equal(err.message, '401 Incorrect API key provided');
        return true;
      },
    );
  });

  test('no script replies 500 explaining why', async () => {
    await assert.rejects(client.responses.create({ model: 'gpt-test', input: 'hi' }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.InternalServerError);
      assert.match(err.message, /no script/);
      return true;
    });
  });

  test('break_stream makes the client throw after some deltas', async () => {
    fake.enqueue({ kind: 'break_stream', text: 'one two three four five', afterChunks: 2 }, { kind: 'break_stream', text: 'a b c', afterChunks: 1 });
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    let text = '';
    await assert.rejects(async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    });
    assert.equal(text, 'one two ');

    const chat = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true });
    await assert.rejects(async () => {
      for await (const chunk of chat) void chunk;
    });
    assert.equal(fake.aborted, 0, 'server-side resets are not client aborts');
  });

  test('malformed_chunk makes the client fail to parse', async () => {
    fake.enqueue({ kind: 'malformed_chunk', text: 'x y z', afterChunks: 1 });
    // The SDK logs the unparsable line at error level; silence it to keep test output clean.
    const quiet = new OpenAI({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
    const stream = await quiet.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    await assert.rejects(async () => {
      for await (const event of stream) void event;
    }, SyntaxError);
  });

  test('hang + AbortController increments aborted', async () => {
    fake.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = client.responses.create({ model: 'gpt-test', input: 'hi' }, { signal: controller.signal });
    await waitUntil('the request to arrive', () => fake.count() === 1, { timeoutMs: 2000, intervalMs: 10 });
    controller.abort();
    await assert.rejects(pending, (err: unknown) => err instanceof OpenAI.APIUserAbortError);
    await waitUntil('the abort to be counted', () => fake.aborted === 1, { timeoutMs: 2000, intervalMs: 10 });
  });

  test('cancelling a slow stream is counted as an abort', async () => {
    fake.enqueue({ kind: 'text', text: 'a b c d e f g h', chunkDelayMs: 50 });
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') break; // break aborts the request
    }
    await waitUntil('the abort to be counted', () => fake.aborted === 1, { timeoutMs: 2000, intervalMs: 10 });
  });

});

describe('fake OpenAI answers cut short', () => {
  /** Every event of a Responses stream, and the text its deltas carried. */
  async function responsesEvents(): Promise<{ types: string[]; text: string; last: OpenAI.Responses.ResponseStreamEvent | undefined }> {
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    const types: string[] = [];
    let text = '';
    let last: OpenAI.Responses.ResponseStreamEvent | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      last = event;
    }
    return { types, text, last };
  }

  async function chatStream(): Promise<{ text: string; finish: string | null | undefined }> {
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  }

  test('Responses: incomplete ends with response.incomplete and its reason, streamed or not', async () => {
    fake.enqueue({ kind: 'incomplete', text: 'one two three four', reason: 'max_output_tokens', afterChunks: 2 }, { kind: 'incomplete', text: 'a b c', reason: 'content_filter', afterChunks: 1 });
    const { types, text, last } = await responsesEvents();
    assert.equal(text, 'one two ');
    assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.incomplete']);
    assert.ok(last?.type === 'response.incomplete');
    assert.equal(last.response.status, 'incomplete');
    assert.deepEqual(last.response.incomplete_details, { reason: 'max_output_tokens' });
    const message = last.response.output[0];
    assert.equal(message?.type === 'message' && message.content[0]?.type === 'output_text' ? message.content[0].text : undefined, 'one two ');
    const plain = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    assert.equal(plain.status, 'incomplete');
    assert.deepEqual(plain.incomplete_details, { reason: 'content_filter' });
    assert.equal(plain.output_text, 'a ');
  });

  test('Responses: response_failed ends the stream with response.failed and its error; without streaming it is a 500', async () => {
    fake.enqueue({ kind: 'response_failed', code: 'server_error', message: 'The model failed.', text: 'half an', afterChunks: 1 }, { kind: 'response_failed', code: 'server_error', message: 'The model failed.' });
    const { types, text, last } = await responsesEvents();
    assert.equal(text, 'half ');
    assert.equal(types.at(-1), 'response.failed');
    assert.ok(last?.type === 'response.failed');
    assert.equal(last.response.status, 'failed');
    assert.deepEqual(last.response.error, { code: 'server_error', message: 'The model failed.' });
    await assert.rejects(client.responses.create({ model: 'gpt-test', input: 'hi' }), (err: unknown) => err instanceof OpenAI.InternalServerError && err.code === 'server_error');
  });

  test('Responses: stream_error sends an error event, which the client raises as an APIError', async () => {
    fake.enqueue({ kind: 'stream_error', code: 'server_error', message: 'An error occurred while processing your request.', text: 'so far', afterChunks: 1 });
    let text = '';
    const stream = await client.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    await assert.rejects(
      async () => {
        for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
      },
      (err: unknown) => err instanceof OpenAI.APIError && err.status === undefined && /An error occurred while processing your request/.test(err.message),
    );
    assert.equal(text, 'so ');
  });

  test("Chat: incomplete finishes with 'length' or 'content_filter', streamed or not", async () => {
    fake.enqueue(
      { kind: 'incomplete', text: 'one two three', reason: 'max_output_tokens', afterChunks: 2 },
      { kind: 'incomplete', text: 'a b c', reason: 'content_filter', afterChunks: 1 },
      { kind: 'incomplete', text: 'x y z', reason: 'max_output_tokens', afterChunks: 2 },
    );
    assert.deepEqual(await chatStream(), { text: 'one two ', finish: 'length' });
    assert.deepEqual(await chatStream(), { text: 'a ', finish: 'content_filter' });
    const plain = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(plain.choices[0]?.finish_reason, 'length');
    assert.equal(plain.choices[0]?.message.content, 'x y ');
  });

  test('Chat: stream_error sends an error chunk, raised by the client; response_failed is a 500', async () => {
    fake.enqueue({ kind: 'stream_error', code: 'server_error', message: 'The server had an error.', text: 'so far', afterChunks: 1 }, { kind: 'response_failed', code: 'server_error', message: 'The model failed.' });
    await assert.rejects(chatStream(), (err: unknown) => err instanceof OpenAI.APIError && /The server had an error/.test(err.message));
    await assert.rejects(chatStream(), (err: unknown) => err instanceof OpenAI.InternalServerError && /The model failed/.test(err.message));
  });
});
