/** The pieces the session routes' OpenAPI operations share: the session's id in paths, the scope in queries, their errors, and what a listed session leads to. */
import { error, pointer, queryParameters, ref } from '../openapi/parts.ts';
import { SessionQuery, SessionScopeQuery } from './schemas.ts';

export const sessionIdParameter = {
  name: 'session_id',
  in: 'path',
  required: true,
  description: 'Any text; one that no run can have as its session (empty, over 256 characters, control characters) is not found.',
  schema: { type: 'string' },
};

/** The parameters of a route that reads or renames one session. */
export const readParameters = () => [sessionIdParameter, ...queryParameters(SessionQuery)];
/** The scope of a delete. */
export const deleteScope = () => queryParameters(SessionScopeQuery);

/** A session's detail, of the session's type: a workflow's, an agent's or a team's. */
export const sessionDetailRef = { oneOf: [ref('WorkflowSessionDetailSchema'), ref('AgentSessionDetailSchema'), ref('TeamSessionDetailSchema')] };
/** A run as a session lists it: a workflow's, an agent's (a team member's too), a team's. */
export const sessionRunRef = { oneOf: [ref('WorkflowRunSchema'), ref('RunSchema'), ref('TeamRunSchema')] };

export const sessionNotFound = () => error('No such session (of this user, of this type, in this db_id), or an unknown db_id');
export const unknownDatabase = () => error('Unknown db_id');
export const badQuery = () => error('Invalid query (details per parameter)');

/** What a listed session leads to (OpenAPI links: clients and test generators follow them). */
export const sessionLinks = () =>
  Object.fromEntries(
    [['GetSession', 'get', ''], ['SessionRuns', 'get', '/runs'], ['RenameSession', 'post', '/rename'], ['DeleteSession', 'delete', '']].map(([name, method, suffix]) => [
      name,
      { operationRef: pointer('paths', `/sessions/{session_id}${suffix}`, method!), parameters: { session_id: '$response.body#/data/0/session_id' } },
    ]),
  );
