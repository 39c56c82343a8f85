/**
 * The process's OpenTelemetry tracer provider, when tracing is on (see config.ts): spans batched
 * and exported over OTLP/HTTP, registered as the global provider with Node's async context (so a
 * span started in an HTTP handler or an activity is the parent of those started beneath it) and
 * W3C trace context propagation. Temporal's interceptors carry that context across the workflow.
 *
 * The exporter's own standard variables apply as well (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT,
 * _COMPRESSION), and so do the batch processor's (OTEL_BSP_SCHEDULE_DELAY, ...) and
 * OTEL_RESOURCE_ATTRIBUTES.
 */
import { context, diag, DiagConsoleLogger, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './config.ts';
import { TRACER_NAME } from './spans.ts';

export interface Tracing {
  config: TracingConfig;
  tracer: Tracer;
  /** Where finished spans go: also the workflow spans the worker receives from its workflows (see temporal-spans.ts). */
  spanProcessor: SpanProcessor;
  /** The process's resource (`service.name`, ...), which workflow spans are exported with too. */
  resource: Resource;
  /** Exports the spans still batched (a failure is reported, not thrown), then unregisters the provider. */
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig): Tracing {
  const resource = Resource.default().merge(envDetectorSync.detect()).merge(new Resource({ [ATTR_SERVICE_NAME]: config.serviceName }));
  const exporter = config.protocol === 'http/json' ? new OTLPJsonTraceExporter({ url: config.tracesUrl }) : new OTLPProtobufTraceExporter({ url: config.tracesUrl });
  const spanProcessor = new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  // Exports that fail (a receiver down or refusing) say so on stderr, rather than dropping spans unseen.
  diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.ERROR);
  return {
    config,
    tracer: provider.getTracer(TRACER_NAME),
    spanProcessor,
    resource,
    async shutdown() {
      try {
        await provider.shutdown();
      } catch (err) {
        // Stopping goes on: traces are never worth a failed stop.
        diag.error(`the last spans could not be exported: ${err instanceof Error ? err.message : String(err)}`);
      }
      // A provider started later in this process (an embedding application's, a test's) may register anew.
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}
