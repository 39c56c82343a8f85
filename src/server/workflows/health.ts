/** `GET /health`, as AgentOS answers it (never authenticated: load balancers ask it). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';

export const health = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/health',
  operation: () => ({ summary: 'Health check', responses: { '200': answer('Serving', json(ref('Health'))) } }),
  // `live_lane` (ours): whether token deltas arrive live, and what the lane dropped or failed to carry.
  handle: (c, deps) => c.json({ status: 'ok', instantiated_at: new Date(deps.startedAt).toISOString(), live_lane: deps.live.health() }),
});
