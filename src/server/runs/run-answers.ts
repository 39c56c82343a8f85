/**
 * How the run routes answer about one run: its events as SSE from where the client stands, and a
 * link to the run in the Temporal Web UI on every answer about it.
 */
import type { Context } from 'hono';
import type { StreamCursor } from '../../live/cursor.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { sseResponse } from '../http/sse.ts';

/** Every response about a run links to it in the Temporal Web UI (when its URL is known). */
export function linkToWebUi(c: Context<AppEnv>, deps: ServerDeps, runId: string): void {
  if (!deps.webUiUrl) return;
  const url = `${deps.webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
  c.header('Link', `<${url}>; rel="temporal-ui"`);
}

/** How a route shows a run's frames: as they are, or in another shape (an agent's own run as Agno streams it). */
export type FrameShape = (frames: AsyncIterable<StreamFrame>) => AsyncIterable<StreamFrame>;

/** The run's events and live text from `from` on: an event index, or the cursor of an SSE id. */
export function streamEvents(c: Context<AppEnv>, deps: ServerDeps, runId: string, from: number | StreamCursor, shape: FrameShape = (frames) => frames): Response {
  linkToWebUi(c, deps, runId);
  const cursor = typeof from === 'number' ? { after: from, calls: [] } : from;
  return sseResponse(c, runId, (signal) => shape(deps.tails.subscribe(runId, cursor, signal)), {
    heartbeatMs: deps.heartbeatMs,
    open: deps.metrics.sseClients,
    shuttingDown: deps.shuttingDown,
  });
}
