/**
 * How the run routes answer about one run: its events as SSE from where the client stands, and a
 * link to the run in the Temporal Web UI on every answer about it.
 */
import type { Context } from 'hono';
import type { StreamCursor } from '../../live/cursor.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { sseResponse } from '../http/sse.ts';

/** Every response about a run links to it in the Temporal Web UI (when its URL is known). */
export function linkToWebUi(c: Context<AppEnv>, deps: ServerDeps, runId: string): void {
  if (!deps.webUiUrl) return;
  const url = `${deps.webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
  c.header('Link', `<${url}>; rel="temporal-ui"`);
}

/** The run's events and live text from `from` on: an event index, or the cursor of an SSE id. */
export function streamEvents(c: Context<AppEnv>, deps: ServerDeps, runId: string, from: number | StreamCursor): Response {
  linkToWebUi(c, deps, runId);
  const cursor = typeof from === 'number' ? { after: from, calls: [] } : from;
  return sseResponse(c, runId, (signal) => deps.tails.subscribe(runId, cursor, signal), { heartbeatMs: deps.heartbeatMs, open: deps.metrics.sseClients, shuttingDown: deps.shuttingDown });
}
