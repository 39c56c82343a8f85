/**
 * Our own spans, through OpenTelemetry's API only: with no provider registered (tracing off, see
 * config.ts) the API hands out spans that record nothing, so the code that makes them needs no
 * switch of its own.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';

/** The tracer name of our spans (HTTP requests, model calls, tool calls). */
export const TRACER_NAME = 'durable-agents';

/**
 * The run a span belongs to: our run id, which is the Temporal workflow id of the run (the
 * Temporal interceptors' own `run_id` attribute is the id of one Temporal execution of it).
 */
export const RUN_ID_ATTRIBUTE = 'run.id';

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` in a span named `name`, a child of the active span, which is active in turn while
 * `work` runs; it ends when `work` settles, with the error recorded when it throws.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

export function recordFailure(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}
