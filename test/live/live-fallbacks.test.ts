/**
 * A reader's fallbacks to the durable log (src/live/live-calls.ts), as the API's metrics count
 * them: once per call attempt whose live text it gave up, by reason.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LiveContentTemplate, LiveDelta } from '../../src/contracts/live.ts';
import { LiveCalls } from '../../src/live/live-calls.ts';
import { liveReaderMetrics } from '../../src/live/live-metrics.ts';
import { MetricsRegistry } from '../../src/metrics/registry.ts';
import { parseExposition } from '../support/metrics-scrape.ts';

const TEMPLATE: LiveContentTemplate = { event: 'RunContent', fields: { run_id: 'agent-run' }, after: 3 };
const delta = (callId: string, attempt: number, offset: number, text: string, template?: LiveContentTemplate): LiveDelta => ({
  runId: 'r1',
  callId,
  attempt,
  offset,
  text,
  at: Date.now(),
  ...(template ? { template } : {}),
});

it('counts a gap and a late join once per call attempt', () => {
  const registry = new MetricsRegistry();
  const metrics = liveReaderMetrics(registry);
  const calls = new LiveCalls((reason) => metrics.fallbacks.inc({ reason }));
  const fallbacks = (reason: string) => parseExposition(registry.exposition()).value('durable_agents_live_lane_fallbacks_total', { reason });

  // A call that streams without a gap falls back to nothing.
  assert.equal(calls.apply(delta('c1', 1, 0, 'Hello', TEMPLATE)), true);
  assert.equal(calls.apply(delta('c1', 1, 5, ' world')), true);
  assert.equal(fallbacks('gap'), 0);
  // A delta went missing (offset 11 never came): the call's text comes from the log, counted once.
  assert.equal(calls.apply(delta('c1', 1, 20, 'later')), false);
  assert.equal(calls.apply(delta('c1', 1, 25, 'still later')), false);
  assert.equal(fallbacks('gap'), 1);
  // Its retry starts at 0 and streams live again; a retry first seen mid-answer is another gap.
  assert.equal(calls.apply(delta('c1', 2, 0, 'Again', TEMPLATE)), true);
  calls.apply(delta('c2', 1, 7, 'mid-answer', TEMPLATE));
  assert.equal(calls.get('c2')?.chunks.length, 0, 'none of its text goes out live');
  assert.equal(fallbacks('gap'), 2);

  // Joined after a call started, without its first delta (and template): once per attempt.
  assert.equal(calls.apply(delta('c3', 1, 10, 'no start')), false);
  assert.equal(calls.apply(delta('c3', 1, 20, 'nor now')), false);
  assert.equal(fallbacks('late_join'), 1);
  assert.equal(calls.apply(delta('c3', 2, 5, 'another attempt')), false);
  assert.equal(fallbacks('late_join'), 2);
});
