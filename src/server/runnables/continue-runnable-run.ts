/**
 * `POST /agents/{agent_id}/runs/{run_id}/continue`, `POST /teams/{team_id}/runs/{run_id}/continue`
 * (AgentOS: answer the tools a run paused at). No tool of an agent here pauses for a person, so
 * no agent or team run waits for an answer: 409, as for a workflow run that is not waiting.
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { error } from '../openapi/parts.ts';
import { runnableRunOr404 } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunNotFound, runnableRunOperation } from './operation-parts.ts';

export const continueRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}/continue`,
    operation: (context) =>
      runnableRunOperation(kind, context, {
        summary: 'Continue a run paused at its tools (AgentOS)',
        description: `No tool of ${kind.kind === 'agent' ? 'an agent' : 'a team'} here pauses for a person: a run is never waiting for this answer.`,
        responses: { '404': runnableRunNotFound(kind), '409': error('The run is not waiting for an answer') },
      }),
    find: runnableRunOr404(kind),
    handle(_c, _deps, { found: { run } }) {
      throw new HttpError(409, `Run ${run.run_id} is not paused at a tool (${run.status}).`);
    },
  });
