/** `GET /workflows/{workflow_id}/runs/{run_id}`: the run, with its events as AgentOS reads a run back (bounded: see output-events.ts). */
import { RUN_READ_EVENT_BYTES } from '../../engine/output-events.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runNotFound, runOperation } from './operation-parts.ts';
import { linkToWebUi } from './run-answers.ts';

export const getRun = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows/{workflow_id}/runs/{run_id}',
  operation: (context) => runOperation(context, { summary: 'Get a run', responses: { '200': answer('The run', json(ref('WorkflowRunOutput'))), '404': runNotFound(), '503': unavailable() } }),
  find: runOr404,
  async handle(c, deps, { found: run }) {
    const output = await deps.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    if (!output) throw new HttpError(404, 'Run not found.');
    linkToWebUi(c, deps, run.run_id);
    return c.json(output.toDict());
  },
});
