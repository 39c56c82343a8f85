/** `GET /agents`, `GET /teams`: the agents or teams this server runs on their own (AgentOS's `AgentResponse`, `TeamResponse`); for a token that may read some only, those. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { describeRunnable } from './describe-runnable.ts';
import type { RunnableRoutesKind } from './kinds.ts';

export const listRunnables = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'get',
    path: `/${kind.collection}`,
    operation: () => ({ summary: `List ${kind.collection}`, responses: { '200': answer(`${kind.label}s`, json({ type: 'array', items: ref(`${kind.label}Response`) })) } }),
    handle: (c, deps) => {
      // A token that may read some of them only (`agents:<id>:read`): those (the listing's ids, see http/auth.ts).
      const accessible = c.get('accessibleWorkflowIds');
      const served = [...deps.runnables.values()].filter((runnable) => runnable.kind === kind.kind && (!accessible || accessible.has(runnable.member.id)));
      return c.json(served.map((runnable) => describeRunnable(runnable, deps.namespace)));
    },
  });
