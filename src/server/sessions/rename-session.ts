/** `POST /sessions/{session_id}/rename` (AgentOS): name the session for its user; answers the session under its new name. */
import { readJsonBody, validate } from '../http/body.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, json, jsonBody, ref, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { readParameters, sessionNotFound } from './operation-parts.ts';
import { RenameSessionRequest, SessionQuery } from './schemas.ts';

export const renameSession = defineRoute<SessionDeps>({
  method: 'post',
  path: '/sessions/{session_id}/rename',
  operation: () => ({
    summary: 'Rename a session',
    parameters: readParameters(),
    requestBody: jsonBody('RenameSessionRequest'),
    responses: {
      '200': answer('The renamed session', json(ref('WorkflowSessionDetailSchema'))),
      '400': error('The body is not valid JSON or not UTF-8'),
      '404': sessionNotFound(),
      ...bodyErrors('json'),
      '503': unavailable(),
    },
  }),
  async handle(c, deps) {
    const scope = validate(SessionQuery, c.req.query(), 'query');
    const body = await readJsonBody(c, RenameSessionRequest);
    return c.json(await deps.sessions.rename(c.get('caller'), c.req.param('session_id')!, scope, body.session_name));
  },
});
