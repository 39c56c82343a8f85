/** When a process traces, and where its spans go, from OpenTelemetry's standard variables. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { tracingConfigFromEnv } from '../../src/tracing/config.ts';

it('is off without an OTLP endpoint, also when the variables are set empty', () => {
  assert.equal(tracingConfigFromEnv({}, 'durable-agents-api'), undefined);
  assert.equal(tracingConfigFromEnv({ OTEL_SERVICE_NAME: 'api', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'durable-agents-api'), undefined);
  assert.equal(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' }, 'durable-agents-api'), undefined);
});

it('posts to <endpoint>/v1/traces in protobuf by default, under the default service name', () => {
  assert.deepEqual(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'durable-agents-worker'), {
    serviceName: 'durable-agents-worker',
    tracesUrl: 'http://collector:4318/v1/traces',
    protocol: 'http/protobuf',
  });
});

it('takes the traces endpoint as it is, the service name and JSON when asked', () => {
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/ingest',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'agents',
  };
  assert.deepEqual(tracingConfigFromEnv(env, 'durable-agents'), { serviceName: 'agents', tracesUrl: 'https://traces.example.com/ingest', protocol: 'http/json' });
  assert.equal(tracingConfigFromEnv({ ...env, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, 'durable-agents')?.protocol, 'http/protobuf');
});

it('refuses a protocol other than OTLP/HTTP', () => {
  assert.throws(() => tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'durable-agents'), /must be http\/protobuf or http\/json/);
});
