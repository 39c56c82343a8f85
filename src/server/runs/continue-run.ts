/** `POST /workflows/{workflow_id}/runs/{run_id}/continue` (AgentOS): answer a step waiting for confirmation or input, then stream (or wait for) the rest. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, formBody, json, ref, sse, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runNotFound, runOperation } from './operation-parts.ts';
import { runAfterAnswer } from './run-after-answer.ts';
import { linkToWebUi, streamEvents } from './run-answers.ts';
import { ContinueRequest } from './schemas.ts';

export const continueRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs/{run_id}/continue',
  operation: (context) =>
    runOperation(context, {
      summary: 'Answer a step waiting for confirmation or input (AgentOS), then stream or wait for the rest',
      requestBody: formBody('ContinueRequest', { urlencoded: false }),
      responses: {
        '200': answer('The continued run’s events (stream=true), or the run once it ends or pauses again', { ...sse, ...json(ref('WorkflowRunOutput')) }),
        ...bodyErrors('forms'),
        '404': runNotFound(),
        '409': error('The run is not waiting for a person, or another answer was taken first (the detail names it): an answer is taken once'),
        '503': unavailable(),
      },
    }),
  find: runOr404,
  body: { schema: ContinueRequest, accepts: 'forms' },
  async handle(c, deps, { found: run, body }) {
    const last = await deps.engine.continueRun(run.run_id, body.step_requirements);
    if (body.stream) return streamEvents(c, deps, run.run_id, last);
    linkToWebUi(c, deps, run.run_id);
    return c.json(await runAfterAnswer(deps, run.run_id, last));
  },
});
