/**
 * `POST /agents/{agent_id}/runs/{run_id}/cancel`, `POST /teams/{team_id}/runs/{run_id}/cancel`:
 * as a workflow run's cancel (src/server/runs/cancel-run.ts): 200 `{}` also for an ended or
 * unknown run, `strict=true` answers 404 and 409 for those. The model or tool call in flight is
 * cancelled with the run.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { cancelAnswers, cancelFoundRun } from '../runs/cancel-run.ts';
import { CancelQuery } from '../runs/schemas.ts';
import { findRunnableRun } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunOperation } from './operation-parts.ts';

export const cancelRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}/cancel`,
    operation: (context) =>
      runnableRunOperation(
        kind,
        context,
        {
          summary: `Cancel a run of ${kind.kind === 'agent' ? 'an agent' : 'a team'}`,
          ...cancelAnswers(`Unknown ${kind.kind}; with strict=true, or a key bound to a user: unknown run`),
        },
        CancelQuery,
      ),
    query: CancelQuery,
    async handle(c, deps, { query: { strict } }) {
      return cancelFoundRun(c, deps, (await findRunnableRun(c, deps, kind)).run, strict);
    },
  });
