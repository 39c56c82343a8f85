import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepResult } from '../../src/contracts/events.ts';
import { addModelCall, addReportedMetrics, emptyMetrics, stepMetrics } from '../../src/workflows/run-metrics.ts';

const gpt = { id: 'gpt-5.2', provider: 'OpenAIResponses' };
const mini = { id: 'gpt-5-mini', provider: 'OpenAIChat' };
const usage = (input: number, output: number) => ({ input_tokens: input, output_tokens: output, total_tokens: input + output });

function step(name: string, fields: Partial<StepResult>): StepResult {
  return { step_id: name, step_name: name, step_type: 'Step', executor_type: 'agent', executor_name: name, content: '', success: true, ...fields };
}

describe('run metrics', () => {
  it('sums model calls per model and keeps the first time to first token', () => {
    const metrics = emptyMetrics();
    addModelCall(metrics, gpt, usage(36, 10), { duration: 0.2 });
    addModelCall(metrics, gpt, usage(38, 6), { duration: 0.3, time_to_first_token: 0.05 });
    addModelCall(metrics, mini, usage(10, 1), { duration: 0.1, time_to_first_token: 0.01 });
    assert.deepEqual(metrics, {
      input_tokens: 84,
      output_tokens: 17,
      total_tokens: 101,
      time_to_first_token: 0.05,
      details: { model: [{ ...gpt, ...usage(74, 16) }, { ...mini, ...usage(10, 1) }] },
    });
  });

  it('adds what a function step reports, reading only counts', () => {
    const metrics = emptyMetrics();
    addModelCall(metrics, gpt, usage(5, 5));
    addReportedMetrics(metrics, { input_tokens: 100, output_tokens: 20, details: { model: [{ id: 'gpt-5.2', provider: 'OpenAIResponses', input_tokens: 100, output_tokens: 20 }] } });
    addReportedMetrics(metrics, { input_tokens: -3, output_tokens: 'many', details: { model: [{ provider: 'x' }] } });
    addReportedMetrics(metrics, undefined);
    assert.deepEqual(metrics, { input_tokens: 105, output_tokens: 25, total_tokens: 130, details: { model: [{ ...gpt, ...usage(105, 25) }] } });
  });

  it('counts a group as the sum of the steps it ran, nested groups included', () => {
    const branchA = step('A', { metrics: { ...usage(10, 2), time_to_first_token: 0.2, details: { model: [{ ...gpt, ...usage(10, 2) }] } } });
    const branchB = step('B', { metrics: { ...usage(7, 3), details: { model: [{ ...mini, ...usage(7, 3) }] } } });
    const inner = step('Loop', { step_type: 'Loop', steps: [step('C', { metrics: { ...usage(1, 1), details: { model: [{ ...gpt, ...usage(1, 1) }] } } })] });
    const parallel = step('Parallel', { step_type: 'Parallel', steps: [branchA, branchB, inner] });
    assert.deepEqual(stepMetrics(parallel), {
      ...usage(18, 6),
      time_to_first_token: 0.2,
      details: { model: [{ ...gpt, ...usage(11, 3) }, { ...mini, ...usage(7, 3) }] },
    });
    assert.equal(stepMetrics(branchA), branchA.metrics);
  });
});
