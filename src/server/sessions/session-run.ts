/** `GET /sessions/{session_id}/runs/{run_id}`: one run of the session, as the session's runs list it (session-runs.ts). */
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, runIdParameter, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, sessionIdParameter, sessionRunRef } from './operation-parts.ts';
import { SessionQuery } from './schemas.ts';

export const sessionRun = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions/{session_id}/runs/{run_id}',
  operation: () => ({
    summary: 'One run of the session (AgentOS WorkflowRunSchema; RunSchema or TeamRunSchema for type=agent and team)',
    parameters: [sessionIdParameter, runIdParameter, ...queryParameters(SessionQuery)],
    responses: { '200': answer('The run', json(sessionRunRef)), '404': error('No such session, no such run in it, or an unknown db_id'), '422': badQuery(), '503': unavailable() },
  }),
  query: SessionQuery,
  async handle(c, deps, { query }) {
    const sessionId = c.req.param('session_id')!;
    const runId = c.req.param('run_id')!;
    const run = (await deps.sessions.runs(c.get('caller'), sessionId, query)).find((listed) => listed.run_id === runId);
    if (!run) throw new HttpError(404, `Run with ID ${runId} not found in session ${sessionId}`);
    return c.json(run);
  },
});
