/**
 * `GET /workflows/{workflow_id}/runs/{run_id}/events`, beyond AgentOS: the run's events as SSE for
 * a browser's EventSource, from `?after=` or `Last-Event-ID`, ending with the terminal event (also
 * for a run that ended long ago).
 */
import { parseCursor } from '../../live/cursor.ts';
import type { StreamCursor } from '../../live/cursor.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, header, queryParameters, runIdParameter, sse, unavailable } from '../openapi/parts.ts';
import { runOr404 } from './access.ts';
import { runNotFound, workflowIdParameter } from './operation-parts.ts';
import { streamEvents } from './run-answers.ts';
import { EventsQuery, LastEventId, RunQuery } from './schemas.ts';

export const runEvents = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/workflows/{workflow_id}/runs/{run_id}/events',
  operation: (context) => ({
    summary: 'The run’s events as SSE, for EventSource (resumes from Last-Event-ID or ?after=)',
    parameters: [
      workflowIdParameter(context),
      runIdParameter,
      ...queryParameters(EventsQuery.extend(RunQuery.shape)),
      header('Last-Event-ID', LastEventId, 'The id of the last frame received (EventSource sends it on reconnect); ?after= wins over it.'),
    ],
    responses: {
      '200': answer('Events, ending with the terminal event (also for a run that ended long ago)', sse),
      '400': error('Last-Event-ID is not an event index'),
      '404': runNotFound(),
      '422': error('Invalid ?after='),
      '503': unavailable(),
    },
  }),
  find: runOr404,
  query: EventsQuery,
  async handle(c, deps, { found: run, query }) {
    const lastEventId = c.req.header('last-event-id');
    let from: number | StreamCursor = query.after ?? -1;
    if (lastEventId !== undefined && query.after === undefined) {
      // An SSE id of ours: an event index, maybe followed by the live text the client has.
      const cursor = parseCursor(lastEventId);
      if (!cursor || !LastEventId.safeParse(lastEventId.trim().split('~')[0]).success) throw new HttpError(400, 'Last-Event-ID must be an event index: -1 or more (an SSE id of this stream).');
      from = cursor;
    }
    return streamEvents(c, deps, run.run_id, from);
  },
});
