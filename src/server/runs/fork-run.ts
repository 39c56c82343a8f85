/** `POST /workflows/{workflow_id}/runs/{run_id}/fork`, beyond AgentOS: a new run from a step of an ended run, reusing what came before it. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, formBody, json, ref, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runLinks, runNotFound, runOperation } from './operation-parts.ts';
import { linkToWebUi } from './run-answers.ts';
import { ForkRequest } from './schemas.ts';

export const forkRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs/{run_id}/fork',
  operation: (context) =>
    runOperation(context, {
      summary: 'Fork an ended run at a step',
      description:
        'Starts a new run (in the background) whose log begins with this run’s events before the step, each with forked_from_run_id, ' +
        'and which runs that step and the ones after it again; the steps before it are reused, not run again. This run is not changed.',
      requestBody: formBody('ForkRequest'),
      responses: {
        '202': { ...answer('The fork started in the background', json(ref('StartedRun'))), links: runLinks() },
        ...bodyErrors('forms'),
        '404': runNotFound(),
        '409': error('The run has not ended (it runs or waits): wait for it or cancel it, then fork; or it has no such place to fork at (no such step, a step it did not reach, an iteration its Loop did not run): the answer names what can be forked'),
        '422': error('Invalid body (details per field), or no step named'),
        '503': unavailable(),
      },
    }),
  find: runOr404,
  body: { schema: ForkRequest, accepts: 'forms' },
  async handle(c, deps, { found: run, body }) {
    const { output } = await deps.engine.forkRun(run.run_id, {
      stepName: body.step_name,
      stepIndex: body.step_index,
      iteration: body.iteration,
      input: body.message,
      sessionId: body.session_id,
    });
    c.set('runId', output.run_id);
    linkToWebUi(c, deps, output.run_id);
    deps.metrics.runsStarted.inc({ workflow: run.workflow_id });
    return c.json({ run_id: output.run_id, session_id: output.session_id, status: 'PENDING' }, 202);
  },
});
