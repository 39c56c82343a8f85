/** `POST /workflows/{workflow_id}/runs/{run_id}/retry`, beyond AgentOS: retry a failed run from its failed step (or carry on one held after a failure). */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, ref, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runNotFound, runOperation } from './operation-parts.ts';
import { linkToWebUi } from './run-answers.ts';

export const retryRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs/{run_id}/retry',
  operation: (context) =>
    runOperation(context, {
      summary: 'Retry a failed run from the step that failed, or one held after a failure',
      description: 'Completed steps are not run again; the run keeps its id and its events continue after the failed attempt’s.',
      responses: {
        '202': answer('Retry started', json(ref('RetriedRun'))),
        '404': runNotFound(),
        '409': error('The run has not failed (it runs, completed, was cancelled, or waits for a person), or is being retried already'),
        '503': unavailable(),
      },
    }),
  find: runOr404,
  async handle(c, deps, { found: run }) {
    const output = await deps.engine.retryRun(run.run_id);
    linkToWebUi(c, deps, run.run_id);
    return c.json({ run_id: output.run_id, session_id: output.session_id, status: output.status }, 202);
  },
});
