/** `GET /config`, as AgentOS answers it: the OS, its workflows, and where their runs are kept. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { describeWorkflow } from './describe-workflow.ts';

export const config = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/config',
  operation: () => ({ summary: 'AgentOS configuration', responses: { '200': answer('Configuration', json(ref('OsConfig'))) } }),
  handle: (c, deps) =>
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
});
