/**
 * The OpenAPI operations of the session routes (src/server/api/sessions.ts), for openapi.ts, which
 * lends its helpers so that every operation is written the same way, and registers the named
 * schemas below among its components.
 */
import type { z } from 'zod';
import * as api from './session-schemas.ts';

type Json = Record<string, unknown>;

export interface DocumentHelpers {
  queryParameters(object: z.ZodObject): Json[];
  answer(description: string, content?: Json): Json;
  error(description: string): Json;
  json(schema: Json): Json;
  /** A JSON pointer into the document, from its parts. */
  pointer(...parts: string[]): string;
}

/** Request bodies, as `#/components/schemas/<name>` (input side of the zod schemas). */
export const SESSION_REQUEST_SCHEMAS = { RenameSessionRequest: api.RenameSessionRequest, DeleteSessionsRequest: api.DeleteSessionsRequest };

/** Answers, as `#/components/schemas/<name>` (output side), named as AgentOS names them. */
export const SESSION_RESPONSE_SCHEMAS = {
  SessionSchema: api.SessionSummary,
  SessionsPage: api.SessionsPage,
  WorkflowSessionDetailSchema: api.WorkflowSessionDetail,
  WorkflowRunSchema: api.WorkflowSessionRun,
};

const ref = (name: keyof typeof SESSION_REQUEST_SCHEMAS | keyof typeof SESSION_RESPONSE_SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });

/** AgentOS's session routes, for workflow sessions: every status each one answers. */
export function sessionOperations(helpers: DocumentHelpers): Record<string, Record<string, Json>> {
  const { queryParameters, answer, error, json, pointer } = helpers;
  const sessionId = {
    name: 'session_id',
    in: 'path',
    required: true,
    description: 'Any text; one that no run can have as its session (empty, over 256 characters, control characters) is not found.',
    schema: { type: 'string' },
  };
  const runId = { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } };
  const read = [sessionId, ...queryParameters(api.SessionQuery)];
  const deleteScope = queryParameters(api.SessionScopeQuery);
  const notFound = error('No such session (of this user, of this type, in this db_id), or an unknown db_id');
  const unknownDatabase = error('Unknown db_id');
  const badQuery = error('Invalid query (details per parameter)');
  const unavailable = error('Temporal or its workers are unavailable; try again shortly');
  const body = (name: keyof typeof SESSION_REQUEST_SCHEMAS) => ({ required: true, content: json(ref(name)) });
  // What a JSON body can get before its route runs.
  const bodyErrors = {
    '413': error('Body larger than the limit (1 MiB by default)'),
    '415': error('A content type other than application/json'),
    '422': error('Invalid query or body (details per field)'),
  };
  // What a listed session leads to (OpenAPI links: clients and test generators follow them).
  const sessionLinks = Object.fromEntries(
    [['GetSession', 'get', ''], ['SessionRuns', 'get', '/runs'], ['RenameSession', 'post', '/rename'], ['DeleteSession', 'delete', '']].map(([name, method, suffix]) => [
      name,
      { operationRef: pointer('paths', `/sessions/{session_id}${suffix}`, method!), parameters: { session_id: '$response.body#/data/0/session_id' } },
    ]),
  );
  return {
    '/sessions': {
      get: {
        summary: 'List workflow sessions (AgentOS SessionSchema, paginated)',
        parameters: queryParameters(api.SessionsQuery),
        responses: {
          '200': { ...answer('A page of sessions, and how many there are', json(ref('SessionsPage'))), links: sessionLinks },
          '404': unknownDatabase,
          '422': badQuery,
          '503': unavailable,
        },
      },
      delete: {
        summary: 'Delete sessions and their runs',
        description: 'Sessions that are not there (or not of this user) are skipped; agent and team sessions never exist here.',
        parameters: deleteScope,
        requestBody: body('DeleteSessionsRequest'),
        responses: {
          '204': answer('Deleted'),
          '400': error('The body is not valid JSON or not UTF-8, or session_ids and session_types differ in length'),
          '404': unknownDatabase,
          ...bodyErrors,
          '503': unavailable,
        },
      },
    },
    '/sessions/{session_id}': {
      get: {
        summary: 'Get a workflow session (AgentOS WorkflowSessionDetailSchema)',
        parameters: read,
        responses: { '200': answer('The session', json(ref('WorkflowSessionDetailSchema'))), '404': notFound, '422': badQuery, '503': unavailable },
      },
      delete: {
        summary: 'Delete a session and its runs',
        parameters: [sessionId, ...deleteScope],
        responses: { '204': answer('Deleted, also when there was nothing to delete (as AgentOS)'), '404': unknownDatabase, '422': badQuery, '503': unavailable },
      },
    },
    '/sessions/{session_id}/runs': {
      get: {
        summary: 'The session’s runs, oldest first (AgentOS WorkflowRunSchema)',
        parameters: read,
        responses: {
          '200': {
            ...answer('Runs', json({ type: 'array', items: ref('WorkflowRunSchema') })),
            links: {
              SessionRun: {
                operationRef: pointer('paths', '/sessions/{session_id}/runs/{run_id}', 'get'),
                parameters: { session_id: '$request.path.session_id', run_id: '$response.body#/0/run_id' },
              },
            },
          },
          '404': notFound,
          '422': badQuery,
          '503': unavailable,
        },
      },
    },
    '/sessions/{session_id}/runs/{run_id}': {
      get: {
        summary: 'One run of the session (AgentOS WorkflowRunSchema)',
        parameters: [sessionId, runId, ...queryParameters(api.SessionQuery)],
        responses: { '200': answer('The run', json(ref('WorkflowRunSchema'))), '404': error('No such session, no such run in it, or an unknown db_id'), '422': badQuery, '503': unavailable },
      },
    },
    '/sessions/{session_id}/rename': {
      post: {
        summary: 'Rename a session',
        parameters: read,
        requestBody: body('RenameSessionRequest'),
        responses: {
          '200': answer('The renamed session', json(ref('WorkflowSessionDetailSchema'))),
          '400': error('The body is not valid JSON or not UTF-8'),
          '404': notFound,
          ...bodyErrors,
          '503': unavailable,
        },
      },
    },
  };
}
