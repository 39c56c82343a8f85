import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateArguments } from '../../src/definitions/validate-arguments.ts';
import { truncateOutput } from '../../src/activities/tool-call.ts';
import { retryAfterMs, isRetryableStatus } from '../../src/activities/model-errors.ts';
import { defineTool, toolPlan } from '../../src/definitions/tool.ts';

const schema = {
  type: 'object',
  properties: { symbol: { type: 'string' }, count: { type: 'integer', minimum: 1 }, mode: { enum: ['a', 'b'] } },
  required: ['symbol'],
  additionalProperties: false,
};

describe('validateArguments', () => {
  it('accepts valid arguments', () => {
    assert.deepEqual(validateArguments(schema, { symbol: 'NVDA', count: 3, mode: 'a' }), []);
  });
  it('names every problem', () => {
    assert.deepEqual(validateArguments(schema, { count: 0.5, mode: 'c', extra: 1 }), [
      'arguments.symbol is required',
      'arguments.count must be integer, got number',
      'arguments.mode must be one of "a", "b"',
      'arguments.extra is not an accepted argument',
    ]);
    assert.deepEqual(validateArguments(schema, []), ['arguments must be object, got array']);
  });
});

describe('tool output and definitions', () => {
  it('truncates long output with a visible marker', () => {
    const { text, truncated } = truncateOutput('x'.repeat(120), 100);
    assert.equal(truncated, true);
    assert.equal(text, `${'x'.repeat(100)}\n[output cut at 100 of 120 bytes]`);
    assert.deepEqual(truncateOutput('short', 100), { text: 'short', truncated: false });
  });
  it('plans a tool that waits for a person as Agno describes it, the fields only a person gives kept from the model', () => {
    const email = defineTool({
      name: 'send_email',
      description: 'Sends an email.',
      parameters: { type: 'object', properties: { to: { type: 'string', description: 'The address.' }, subject: { type: 'string' } }, required: ['to', 'subject'] },
      requiresConfirmation: true,
      requiresUserInput: true,
      userInputFields: ['to'],
      execute: () => '',
    });
    assert.deepEqual(toolPlan(email), {
      name: 'send_email',
      description: 'Sends an email.',
      parameters: { type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'] },
      pause: {
        requiresConfirmation: true,
        userInput: [
          { name: 'to', field_type: 'str', description: 'The address.', value: null },
          { name: 'subject', field_type: 'str', description: null, value: null },
        ],
      },
    });
    const external = defineTool({ name: 'lookup', description: '', parameters: { type: 'object' }, externalExecution: true });
    assert.deepEqual(toolPlan(external).pause, { externalExecution: true });
  });
  it('rejects a tool with nothing to run, and input fields it does not have', () => {
    assert.throws(() => defineTool({ name: 'none', description: '', parameters: { type: 'object' } }), /give execute, or set externalExecution/);
    assert.throws(
      () => defineTool({ name: 'ask', description: '', parameters: { type: 'object', properties: { a: { type: 'string' } } }, requiresUserInput: true, userInputFields: ['b'], execute: () => '' }),
      /userInputFields b are not among its parameters/,
    );
  });
  it('rejects invalid tool names and non-object schemas', () => {
    assert.throws(() => defineTool({ name: 'has space', description: '', parameters: { type: 'object' }, execute: () => '' }), /invalid/);
    assert.throws(() => defineTool({ name: 'ok', description: '', parameters: { type: 'string' }, execute: () => '' }), /type "object"/);
  });
});

describe('model error policy', () => {
  it('retries 408/409/429/5xx only', () => {
    assert.deepEqual([400, 401, 403, 404, 408, 409, 422, 429, 500, 503].filter(isRetryableStatus), [408, 409, 429, 500, 503]);
  });
  it('reads retry-after in seconds, as a date, and retry-after-ms', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '150' })), 150);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 7_000), 3000);
    assert.equal(retryAfterMs(new Headers({})), undefined);
  });
});
