/** `POST /sessions/{session_id}/rename` (AgentOS): name the session for its user; answers the session under its new name. */
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, json, jsonBody, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { readParameters, sessionDetailRef, sessionNotFound } from './operation-parts.ts';
import { RenameSessionRequest, SessionQuery } from './schemas.ts';

export const renameSession = defineRoute<SessionDeps>()({
  method: 'post',
  path: '/sessions/{session_id}/rename',
  operation: () => ({
    summary: 'Rename a session',
    parameters: readParameters(),
    requestBody: jsonBody('RenameSessionRequest'),
    responses: {
      '200': answer('The renamed session', json(sessionDetailRef)),
      '400': error('The body is not valid JSON or not UTF-8'),
      '404': sessionNotFound(),
      ...bodyErrors('json'),
      '503': unavailable(),
    },
  }),
  query: SessionQuery,
  body: { schema: RenameSessionRequest, accepts: 'json' },
  async handle(c, deps, { query: scope, body }) {
    return c.json(await deps.sessions.rename(c.get('caller'), c.req.param('session_id')!, scope, body.session_name));
  },
});
