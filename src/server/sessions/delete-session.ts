/** `DELETE /sessions/{session_id}` (AgentOS): delete a session and its runs; 204 also when there was nothing to delete. */
import { defineRoute } from '../http/route.ts';
import { answer, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, deleteScope, sessionIdParameter, unknownDatabase } from './operation-parts.ts';
import { SessionScopeQuery } from './schemas.ts';

export const deleteSession = defineRoute<SessionDeps>()({
  method: 'delete',
  path: '/sessions/{session_id}',
  operation: () => ({
    summary: 'Delete a session and its runs',
    parameters: [sessionIdParameter, ...deleteScope()],
    responses: { '204': answer('Deleted, also when there was nothing to delete (as AgentOS)'), '404': unknownDatabase(), '422': badQuery(), '503': unavailable() },
  }),
  query: SessionScopeQuery,
  async handle(c, deps, { query: scope }) {
    deps.sessions.checkDatabase(scope);
    await deps.sessions.delete(c.get('caller'), [c.req.param('session_id')!], scope);
    return c.body(null, 204);
  },
});
