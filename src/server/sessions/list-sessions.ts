/** `GET /sessions` (AgentOS): a page of the caller's workflow sessions, with how many there are. */
import { defineRoute } from '../http/route.ts';
import { answer, json, queryParameters, ref, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, sessionLinks, unknownDatabase } from './operation-parts.ts';
import { SessionsQuery } from './schemas.ts';

export const listSessions = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions',
  operation: () => ({
    summary: 'List workflow sessions (AgentOS SessionSchema, paginated)',
    parameters: queryParameters(SessionsQuery),
    responses: {
      '200': { ...answer('A page of sessions, and how many there are', json(ref('SessionsPage'))), links: sessionLinks() },
      '404': unknownDatabase(),
      '422': badQuery(),
      '503': unavailable(),
    },
  }),
  query: SessionsQuery,
  async handle(c, deps, { query }) {
    return c.json(await deps.sessions.page(c.get('caller'), query));
  },
});
