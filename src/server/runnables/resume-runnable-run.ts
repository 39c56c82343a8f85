/** `POST /agents/{agent_id}/runs/{run_id}/resume`, `POST /teams/{team_id}/runs/{run_id}/resume` (AgentOS): the run's events after `last_event_index` (or after an SSE id of ours), as Agno streams them. */
import { parseCursor } from '../../live/cursor.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, formBody, ownSse, unavailable } from '../openapi/parts.ts';
import { streamEvents } from '../runs/run-answers.ts';
import { ResumeRequest } from '../runs/schemas.ts';
import { runnableRunOr404 } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunNotFound, runnableRunOperation } from './operation-parts.ts';
import { wireFrames } from './wire-events.ts';

export const resumeRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}/resume`,
    operation: (context) =>
      runnableRunOperation(kind, context, {
        summary: 'Resume a run’s event stream after last_event_index',
        requestBody: formBody('ResumeRequest', { required: false }),
        responses: { '200': answer('Events after last_event_index, to the run’s end', ownSse), ...bodyErrors('forms'), '404': runnableRunNotFound(kind), '503': unavailable() },
      }),
    find: runnableRunOr404(kind),
    body: { schema: ResumeRequest, accepts: 'forms' },
    async handle(c, deps, { found: { runnable, run }, body }) {
      const last = body.last_event_index ?? -1;
      const from = typeof last === 'number' ? last : parseCursor(last);
      if (from === undefined) throw new HttpError(422, 'last_event_index must be an event index or an SSE id of this stream.');
      return streamEvents(c, deps, run.run_id, from, (frames) => wireFrames(runnable, frames));
    },
  });
