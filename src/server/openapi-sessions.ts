/**
 * The OpenAPI operations of the session routes (src/server/api/sessions.ts), for openapi.ts, which
 * lends its helpers so that every operation is written the same way.
 */
import type { z } from 'zod';
import * as api from './schemas.ts';

type Json = Record<string, unknown>;

export interface DocumentHelpers {
  queryParameters(object: z.ZodObject): Json[];
  answer(description: string, content?: Json): Json;
  error(description: string): Json;
  json(schema: Json): Json;
}

/** AgentOS's session routes, for workflow sessions (src/server/api/sessions.ts); shapes as AgentOS's schemas name them. */
export function sessionOperations(helpers: DocumentHelpers): Record<string, Record<string, Json>> {
  const { queryParameters, answer, error, json } = helpers;
  const sessionId = { name: 'session_id', in: 'path', required: true, schema: { type: 'string' } };
  const scope = queryParameters(api.SessionQuery);
  const object = (description: string) => json({ type: 'object', description });
  const notFound = error('No such session (of this user, in this db_id)');
  const unavailable = error('Temporal or its workers are unavailable; try again shortly');
  return {
    '/sessions': {
      get: {
        summary: 'List workflow sessions (AgentOS SessionSchema, paginated)',
        parameters: queryParameters(api.SessionsQuery),
        responses: { '200': answer('{data: [session], meta: {page, limit, total_pages, total_count, search_time_ms}}', object('PaginatedResponse[SessionSchema]')), '404': error('Unknown db_id'), '422': error('Invalid query'), '503': unavailable },
      },
      delete: {
        summary: 'Delete sessions and their runs',
        parameters: scope,
        requestBody: { required: true, content: json({ type: 'object', required: ['session_ids', 'session_types'], properties: { session_ids: { type: 'array', items: { type: 'string' } }, session_types: { type: 'array', items: { type: 'string' } } } }) },
        responses: { '204': answer('Deleted'), '400': error('session_ids and session_types differ in length'), '422': error('Invalid body'), '503': unavailable },
      },
    },
    '/sessions/{session_id}': {
      get: { summary: 'Get a workflow session (AgentOS WorkflowSessionDetailSchema)', parameters: [sessionId, ...scope], responses: { '200': answer('The session', object('WorkflowSessionDetailSchema')), '404': notFound, '503': unavailable } },
      delete: { summary: 'Delete a session and its runs', parameters: [sessionId, ...scope], responses: { '204': answer('Deleted (also when there was nothing to delete)'), '503': unavailable } },
    },
    '/sessions/{session_id}/runs': {
      get: { summary: 'The session’s runs, oldest first (AgentOS WorkflowRunSchema)', parameters: [sessionId, ...scope], responses: { '200': answer('Runs', json({ type: 'array', items: { type: 'object' } })), '404': notFound, '503': unavailable } },
    },
    '/sessions/{session_id}/runs/{run_id}': {
      get: {
        summary: 'One run of the session (AgentOS WorkflowRunSchema)',
        parameters: [sessionId, { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } }, ...scope],
        responses: { '200': answer('The run', object('WorkflowRunSchema')), '404': notFound, '503': unavailable },
      },
    },
    '/sessions/{session_id}/rename': {
      post: {
        summary: 'Rename a session',
        parameters: [sessionId, ...scope],
        requestBody: { required: true, content: json({ type: 'object', required: ['session_name'], properties: { session_name: { type: 'string' } } }) },
        responses: { '200': answer('The renamed session', object('WorkflowSessionDetailSchema')), '404': notFound, '422': error('Invalid body'), '503': unavailable },
      },
    },
  };
}
