/** `POST /workflows/{workflow_id}/runs/{run_id}/resume` (AgentOS): the run's events after `last_event_index` (or after an SSE id of ours). */
import { parseCursor } from '../../live/cursor.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, formBody, sse, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runNotFound, runOperation } from './operation-parts.ts';
import { streamEvents } from './run-answers.ts';
import { ResumeRequest } from './schemas.ts';

export const resumeRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs/{run_id}/resume',
  operation: (context) =>
    runOperation(context, {
      summary: 'Resume a run’s event stream after last_event_index',
      requestBody: formBody('ResumeRequest', { required: false }),
      responses: { '200': answer('Events after last_event_index, ending with the terminal event', sse), ...bodyErrors('forms'), '404': runNotFound(), '503': unavailable() },
    }),
  find: runOr404,
  body: { schema: ResumeRequest, accepts: 'forms' },
  async handle(c, deps, { found: run, body }) {
    const last = body.last_event_index ?? -1;
    const from = typeof last === 'number' ? last : parseCursor(last);
    if (from === undefined) throw new HttpError(422, 'last_event_index must be an event index or an SSE id of this stream.');
    return streamEvents(c, deps, run.run_id, from);
  },
});
