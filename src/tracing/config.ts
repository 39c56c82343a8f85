/**
 * Whether a process exports traces, from OpenTelemetry's standard variables: on only when an OTLP
 * endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` for
 * traces alone), so that a process nobody asked to trace has no exporter, no provider and no
 * spans. Spans go over OTLP/HTTP, as protobuf by default (the protocol OTLP collectors expect) or
 * as JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
 */

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** `service.name` of every span the process exports. */
  serviceName: string;
  /** Where spans are POSTed: the traces endpoint itself, e.g. `http://collector:4318/v1/traces`. */
  tracesUrl: string;
  protocol: OtlpProtocol;
}

/** The process's tracing, or undefined (off) without an OTLP endpoint. `defaultServiceName` applies without OTEL_SERVICE_NAME. */
export function tracingConfigFromEnv(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingConfig | undefined {
  // `||`: an empty variable (as docker-compose passes unset ones) means "not set".
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || signalUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!tracesUrl) return undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (traces go over OTLP/HTTP), not ${JSON.stringify(protocol)}.`);
  }
  return { serviceName: env.OTEL_SERVICE_NAME || defaultServiceName, tracesUrl, protocol };
}

/** The traces URL under a base endpoint, as OpenTelemetry's specification builds it: `<endpoint>/v1/traces`. */
function signalUrl(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
