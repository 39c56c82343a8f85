/**
 * The tracer provider a process starts when it traces: spans leave over OTLP/HTTP in the protocol
 * asked, under the process's service name, with parents found through Node's async context.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTracing } from '../../src/tracing/provider.ts';
import { inSpan, RUN_ID_ATTRIBUTE } from '../../src/tracing/spans.ts';
import { startOtlpCollector } from '../fakes/otlp-collector.ts';
import type { OtlpCollector } from '../fakes/otlp-collector.ts';

let collector: OtlpCollector;
before(async () => {
  collector = await startOtlpCollector();
});
after(async () => {
  await collector?.close();
});

it('exports spans as OTLP/JSON with the service name, each child under the span active where it started', async () => {
  const tracing = startTracing({ serviceName: 'tracing-test', tracesUrl: `${collector.url}/v1/traces`, protocol: 'http/json' });
  try {
    const answer = await inSpan('outer', { attributes: { [RUN_ID_ATTRIBUTE]: 'run-1' } }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return inSpan('inner', {}, async () => 42);
    });
    assert.equal(answer, 42);
    await assert.rejects(inSpan('failing', {}, async () => Promise.reject(new Error('broken'))), /broken/);
  } finally {
    // Exports what is batched.
    await tracing.shutdown();
  }
  const byName = new Map(collector.spans.map((span) => [span.name, span]));
  const outer = byName.get('outer');
  const inner = byName.get('inner');
  assert.ok(outer && inner, `got ${[...byName.keys()].join(', ')}`);
  assert.equal(outer.service, 'tracing-test');
  assert.equal(outer.attributes[RUN_ID_ATTRIBUTE], 'run-1');
  assert.equal(inner.traceId, outer.traceId);
  assert.equal(inner.parentSpanId, outer.spanId);
  assert.equal(byName.get('failing')?.statusCode, 2, 'a failure marks its span failed');
});

it('exports in protobuf by default, and a provider can start again once one has shut down', async () => {
  const sent = collector.requestTypes.length;
  const tracing = startTracing({ serviceName: 'tracing-test', tracesUrl: `${collector.url}/v1/traces`, protocol: 'http/protobuf' });
  try {
    await inSpan('in protobuf', {}, async () => {});
  } finally {
    await tracing.shutdown();
  }
  assert.deepEqual(collector.requestTypes.slice(sent), ['application/x-protobuf']);
});

it('stops, reporting the spans it could not export, when the receiver is gone', async () => {
  const gone = await startOtlpCollector();
  await gone.close();
  const tracing = startTracing({ serviceName: 'tracing-test', tracesUrl: `${gone.url}/v1/traces`, protocol: 'http/json' });
  await inSpan('never received', {}, async () => {});
  await tracing.shutdown();
});
