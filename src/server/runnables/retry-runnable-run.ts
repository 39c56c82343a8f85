/**
 * `POST /agents/{agent_id}/runs/{run_id}/retry`, `POST /teams/{team_id}/runs/{run_id}/retry`,
 * beyond AgentOS, as a workflow run's retry (src/server/runs/retry-run.ts): a failed run goes on
 * under the same id from the model or tool call that failed, the calls it completed reused
 * (docs/adr/0027-retry-from-the-failed-call.md); its events continue after the failed attempt's.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, ref, unavailable } from '../openapi/parts.ts';
import { linkToWebUi } from '../runs/run-answers.ts';
import { runnableRunOr404 } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunNotFound, runnableRunOperation } from './operation-parts.ts';

export const retryRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}/retry`,
    operation: (context) =>
      runnableRunOperation(kind, context, {
        summary: `Retry a failed run of ${kind.kind === 'agent' ? 'an agent' : 'a team'}`,
        description: 'The run keeps its id and goes on from the model or tool call that failed: the calls it completed (its members’ too) are not made again. Its events continue after the failed attempt’s.',
        responses: {
          '202': answer('Retry started', json(ref('RetriedRun'))),
          '404': runnableRunNotFound(kind),
          '409': error('The run has not failed (it runs, completed or was cancelled), or is being retried already'),
          '503': unavailable(),
        },
      }),
    find: runnableRunOr404(kind),
    async handle(c, deps, { found: { run } }) {
      const output = await deps.engine.retryRun(run.run_id);
      linkToWebUi(c, deps, run.run_id);
      return c.json({ run_id: output.run_id, session_id: output.session_id, status: output.status }, 202);
    },
  });
