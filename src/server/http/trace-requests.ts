/**
 * A span per HTTP request, when the API traces (src/tracing/): named by method and route as the
 * API document writes it (`POST /workflows/{workflow_id}/runs`), with the route, method, path,
 * status and the run the request names or started (`run.id`). It is the active span while the
 * request is handled, so a run started by the request is a child of it, and its workflow, model
 * calls and tool calls after that. A request that carries a trace of its own (a W3C `traceparent`
 * header) continues it.
 *
 * The span ends when the answer's head is ready: a stream (SSE) goes on after it.
 */
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { TextMapGetter, Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { RUN_ID_ATTRIBUTE } from '../../tracing/spans.ts';
import type { AppEnv } from './context.ts';

const requestHeaders: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

export function traceRequests(tracer: Tracer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const callerContext = propagation.extract(context.active(), c.req.raw.headers, requestHeaders);
    const attributes = { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: c.req.path };
    await tracer.startActiveSpan(method, { kind: SpanKind.SERVER, attributes }, callerContext, async (span) => {
      try {
        await next();
      } finally {
        const route = routeTemplate(c);
        if (route) {
          span.updateName(`${method} ${route}`);
          span.setAttribute(ATTR_HTTP_ROUTE, route);
        }
        const status = c.res.status;
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        // A client's error is not the server's: only 5xx marks the span failed (OpenTelemetry's HTTP conventions).
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        const runId = c.get('runId') ?? c.req.param('run_id');
        if (runId) span.setAttribute(RUN_ID_ATTRIBUTE, runId);
        span.end();
      }
    });
  };
}

/** The route that answered, as the API document writes it (`{run_id}`, not Hono's `:run_id`); undefined when none matched (a 404). */
function routeTemplate(c: Context<AppEnv>): string | undefined {
  const path = routePath(c, -1);
  if (!path || path.includes('*')) return undefined;
  return path.replace(/:(\w+)/g, '{$1}');
}
