/**
 * Temporal's side of a trace, by @temporalio/interceptors-opentelemetry: the client span of a
 * run's start (`StartWorkflow:WorkflowRun`), which carries the trace context into the run in its
 * headers; the workflow's spans (`RunWorkflow:WorkflowRun`, `StartActivity:callModel`, ...), made
 * in the workflow sandbox by its workflow interceptors (src/workflows/trace-interceptors.ts) and
 * handed to the worker through a sink; and each activity's span (`RunActivity:callModel`), the
 * parent of our model and tool call spans.
 */
import type { Tracer } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Tracing } from './provider.ts';

/**
 * The package's client interceptor for the calls that carry a trace context into a run: its start
 * (and retry, which starts it anew), signals and updates. Not for reads (describe, query): every
 * poll of a run would otherwise be a trace of its own.
 */
export function runStartSpans(tracer: Tracer): WorkflowClientInterceptor {
  const spans = new OpenTelemetryWorkflowClientInterceptor({ tracer });
  return {
    start: spans.start.bind(spans),
    startWithDetails: spans.startWithDetails.bind(spans),
    signalWithStart: spans.signalWithStart.bind(spans),
    startUpdateWithStart: spans.startUpdateWithStart.bind(spans),
    signal: spans.signal.bind(spans),
    startUpdate: spans.startUpdate.bind(spans),
  };
}

/** Each activity in a span (`RunActivity:<type>`), a child of the workflow's `StartActivity` span. */
export function activitySpans(tracer: Tracer): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) });
}

/**
 * The sink the workflow interceptors hand their spans to. Every worker registers it, tracing or
 * not: a run started with a trace context makes workflow spans on whichever worker runs it, and a
 * worker without the sink would log an error at each of them; without tracing it drops them.
 */
export function workflowSpanSinks(tracing: Tracing | undefined): InjectedSinks<OpenTelemetrySinks> {
  if (!tracing) return { exporter: { export: { fn: () => {} } } };
  const exporter = makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
  return {
    exporter: {
      export: {
        // The package adds the workflow's info to each span's attributes: only what identifies the
        // execution, not its memo or search attributes (the run's input, its user).
        fn: ({ workflowId, runId, workflowType, namespace, taskQueue, attempt }, spans) =>
          exporter.export.fn({ workflowId, runId, workflowType, namespace, taskQueue, attempt } as Parameters<typeof exporter.export.fn>[0], spans),
      },
    },
  };
}
