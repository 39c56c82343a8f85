/**
 * The spans of a run's workflow, made by @temporalio/interceptors-opentelemetry's own workflow
 * interceptors (`RunWorkflow:WorkflowRun`, `StartActivity:callModel`, `StartChildWorkflow:...`,
 * `ContinueAsNew:...`), for runs whose start carried a trace context, that is, runs started by a
 * process with tracing on (src/tracing/). Those spans leave the sandbox through the worker's
 * `exporter` sink (src/tracing/temporal-spans.ts).
 *
 * Every other run goes past these interceptors untouched: no spans, no trace headers on its
 * activities, nothing recorded in its history that it did not record before. Whether a run is
 * traced is read from its start's headers, which its history holds, so every replay decides the
 * same. Loaded as a workflow interceptor module (the bundle's `workflowInterceptorModules`).
 */
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptorsFactory, WorkflowInternalsInterceptor, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';

type Intercept = (input: unknown, next: (input: unknown) => unknown) => unknown;

export const interceptors: WorkflowInterceptorsFactory = () => {
  // Called once per workflow execution: this is that execution's state.
  let traced = false;
  const inbound = whenTraced(OpenTelemetryInboundInterceptor, () => traced) as WorkflowInboundCallsInterceptor;
  const execute = inbound.execute!;
  return {
    inbound: [
      {
        ...inbound,
        execute(input, next) {
          traced = TRACE_HEADER in input.headers;
          return execute(input, next);
        },
      },
    ],
    outbound: [whenTraced(OpenTelemetryOutboundInterceptor, () => traced) as WorkflowOutboundCallsInterceptor],
    internals: [whenTraced(OpenTelemetryInternalsInterceptor, () => traced) as WorkflowInternalsInterceptor],
  };
};

/**
 * An interceptor with each method of the package's `Interceptor` class: while `traced()`, the
 * package's (made at the first traced call: it sets up the sandbox's tracer), else straight on.
 */
function whenTraced(Interceptor: new () => object, traced: () => boolean): Record<string, Intercept> {
  let made: Record<string, Intercept> | undefined;
  const gated: Record<string, Intercept> = {};
  for (const method of Object.getOwnPropertyNames(Interceptor.prototype)) {
    if (method === 'constructor') continue;
    gated[method] = (input, next) => {
      if (!traced()) return next(input);
      made ??= new Interceptor() as Record<string, Intercept>;
      return made[method]!.call(made, input, next);
    };
  }
  return gated;
}
