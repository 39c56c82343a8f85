/** `DELETE /sessions` (AgentOS): delete sessions and their runs; sessions that are not there (or not the caller's) are skipped. */
import { readJsonBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, jsonBody, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { deleteScope, unknownDatabase } from './operation-parts.ts';
import { DeleteSessionsRequest, SessionScopeQuery } from './schemas.ts';

export const deleteSessions = defineRoute<SessionDeps>()({
  method: 'delete',
  path: '/sessions',
  operation: () => ({
    summary: 'Delete sessions and their runs',
    description: 'Sessions that are not there (or not of this user) are skipped; agent and team sessions never exist here.',
    parameters: deleteScope(),
    requestBody: jsonBody('DeleteSessionsRequest'),
    responses: {
      '204': answer('Deleted'),
      '400': error('The body is not valid JSON or not UTF-8, or session_ids and session_types differ in length'),
      '404': unknownDatabase(),
      ...bodyErrors('json'),
      '503': unavailable(),
    },
  }),
  query: SessionScopeQuery,
  async handle(c, deps, { query: scope }) {
    deps.sessions.checkDatabase(scope);
    // Read here, not declared: the database the query names is checked first (a 404 before the body's 422).
    const body = await readJsonBody(c, DeleteSessionsRequest);
    // AgentOS's answer; JSON Schema cannot say it, so the document lists each allowed length.
    if (body.session_ids.length !== body.session_types.length) throw new HttpError(400, 'Session IDs and session types must have the same length');
    await deps.sessions.delete(c.get('caller'), body.session_ids.filter((_, i) => body.session_types[i] === 'workflow'), scope);
    return c.body(null, 204);
  },
});
