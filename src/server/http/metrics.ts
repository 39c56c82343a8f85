/** The API's own metrics: requests by route template and status, open streams, runs started. */
import type { Counter, Gauge, Histogram } from '../../metrics/instruments.ts';
import type { MetricsRegistry } from '../../metrics/registry.ts';

export interface ApiMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  /** Until the response's head: a stream's own duration is not in it. */
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  sseClients: Gauge;
  webSocketClients: Gauge;
  runsStarted: Counter<'workflow'>;
}

export function apiMetrics(registry: MetricsRegistry): ApiMetrics {
  const labels = ['method', 'route', 'status'] as const;
  return {
    requests: registry.counter('durable_agents_http_requests_total', 'HTTP requests answered, by method, route template (OpenAPI path; "unmatched" for none) and status.', labels),
    requestDuration: registry.histogram('durable_agents_http_request_duration_seconds', 'Seconds from a request to its response head (a stream’s body is not in it).', labels),
    sseClients: registry.gauge('durable_agents_sse_clients', 'SSE streams of runs open now.'),
    webSocketClients: registry.gauge('durable_agents_websocket_clients', 'Connections to /workflows/ws open now.'),
    runsStarted: registry.counter('durable_agents_runs_started_total', 'Runs started through the API (HTTP or WebSocket; an idempotent repeat starts none), by workflow id.', ['workflow']),
  };
}
