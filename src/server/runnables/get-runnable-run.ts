/** `GET /agents/{agent_id}/runs/{run_id}`, `GET /teams/{team_id}/runs/{run_id}` (AgentOS): poll a run; its `RunOutput` / `TeamRunOutput`. */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref, unavailable } from '../openapi/parts.ts';
import { linkToWebUi } from '../runs/run-answers.ts';
import { runnableRunOr404 } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunNotFound, runnableRunOperation, runOutputRef } from './operation-parts.ts';
import { runnableRunOutput } from './run-output.ts';

export const getRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'get',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}`,
    operation: (context) =>
      runnableRunOperation(kind, context, {
        summary: `Get a run of ${kind.kind === 'agent' ? 'an agent' : 'a team'}`,
        responses: { '200': answer('The run', json(ref(runOutputRef(kind)))), '404': runnableRunNotFound(kind), '503': unavailable() },
      }),
    find: runnableRunOr404(kind),
    async handle(c, deps, { found: { runnable, run } }) {
      const output = await deps.engine.getRun(run.run_id);
      if (!output) throw new HttpError(404, 'Run not found');
      linkToWebUi(c, deps, run.run_id);
      return c.json(runnableRunOutput(runnable, output));
    },
  });
