/** `GET /sessions/{session_id}` (AgentOS WorkflowSessionDetailSchema; AgentSessionDetailSchema, TeamSessionDetailSchema for type=agent and team). */
import { defineRoute } from '../http/route.ts';
import { answer, json, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, readParameters, sessionDetailRef, sessionNotFound } from './operation-parts.ts';
import { SessionQuery } from './schemas.ts';

export const getSession = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions/{session_id}',
  operation: () => ({
    summary: 'Get a session (AgentOS WorkflowSessionDetailSchema; AgentSessionDetailSchema, TeamSessionDetailSchema for type=agent and team)',
    parameters: readParameters(),
    responses: { '200': answer('The session', json(sessionDetailRef)), '404': sessionNotFound(), '422': badQuery(), '503': unavailable() },
  }),
  query: SessionQuery,
  async handle(c, deps, { query }) {
    return c.json(await deps.sessions.detail(c.get('caller'), c.req.param('session_id')!, query));
  },
});
