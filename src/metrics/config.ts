/**
 * Where a process serves its metrics, from its environment; both are off unless set.
 * - METRICS_PORT: our own metrics (HTTP requests, streams, live lane, model and tool calls, blob
 *   store) at `GET /metrics` on this port, for API and worker processes alike.
 * - TEMPORAL_SDK_METRICS_PORT: the Temporal SDK's own worker metrics (`temporal_*`: task slots,
 *   poll and schedule-to-start latencies, ...), served by the SDK's runtime at `/metrics` on this
 *   port, in processes that run a worker.
 */
export interface MetricsConfig {
  port?: number;
  sdkPort?: number;
}

export function metricsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  return { port: portFrom('METRICS_PORT', env.METRICS_PORT), sdkPort: portFrom('TEMPORAL_SDK_METRICS_PORT', env.TEMPORAL_SDK_METRICS_PORT) };
}

function portFrom(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(value)}.`);
  return port;
}
