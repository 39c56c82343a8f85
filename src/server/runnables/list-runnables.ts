/** `GET /agents`, `GET /teams`: the agents or teams this server runs on their own (AgentOS's `AgentResponse`, `TeamResponse`). */
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
    handle: (c, deps) =>
      c.json([...deps.runnables.values()].filter((runnable) => runnable.kind === kind.kind).map((runnable) => describeRunnable(runnable, deps.namespace))),
  });
