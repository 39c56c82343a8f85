/** `GET /health` (never authenticated) and `GET /config`, as AgentOS answers them. */
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { describeWorkflow } from './workflows.ts';

export function systemRoutes(deps: ServerDeps) {
  const app = new Hono<AppEnv>();
  // `live_lane` (ours): whether token deltas arrive live, and what the lane dropped or failed to carry.
  app.get('/health', (c) => c.json({ status: 'ok', instantiated_at: new Date(deps.startedAt).toISOString(), live_lane: deps.live.health() }));
  app.get('/config', (c) =>
    c.json({
      os_id: 'durable-agents',
      name: 'durable-agents',
      description: 'Durable agent workflows on Temporal',
      agents: [],
      teams: [],
      workflows: [...deps.workflows.values()].map((workflow) => describeWorkflow(workflow, deps.namespace)),
      interfaces: [],
      // Runs are kept in Temporal: the namespace is the one database, the workflows' db_id.
      databases: [deps.namespace],
    }),
  );
  return app;
}
