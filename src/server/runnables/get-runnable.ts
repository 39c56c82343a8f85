/** `GET /agents/{agent_id}`, `GET /teams/{team_id}`: one agent or team (AgentOS's `AgentResponse`, `TeamResponse`). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { runnableOfPath } from './access.ts';
import { describeRunnable } from './describe-runnable.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableIdParameter, runnableNotFound } from './operation-parts.ts';

export const getRunnable = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'get',
    path: `/${kind.collection}/{${kind.param}}`,
    operation: (context) => ({
      summary: `Get ${kind.kind === 'agent' ? 'an agent' : 'a team'}`,
      parameters: [runnableIdParameter(kind, context)],
      responses: { '200': answer(kind.label, json(ref(`${kind.label}Response`))), '404': runnableNotFound(kind) },
    }),
    find: runnableOfPath(kind),
    handle: (c, deps, { found: runnable }) => c.json(describeRunnable(runnable, deps.namespace)),
  });
