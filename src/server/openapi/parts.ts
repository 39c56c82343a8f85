/**
 * The pieces every route's OpenAPI operation is written with, so that every operation is written
 * the same way: answers and errors, JSON and SSE content, query parameters and headers from zod
 * schemas, form bodies, and what a body can get before its route runs.
 */
import { z } from 'zod';
import type { Json } from '../http/route.ts';

export type { Json };

/** A JSON pointer into the document, from its parts. */
export const pointer = (...parts: string[]) => '#/' + parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
/** A schema named in `#/components/schemas` (see components.ts). */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: Json) => ({ 'application/json': { schema } });
/** A run's SSE stream, frame by frame (`itemSchema`, as OpenAPI 3.2 names it). */
export const sse = { 'text/event-stream': { itemSchema: ref('RunEventFrame') } };
/** The stream of an agent's or team's own run (src/server/runnables/). */
export const ownSse = { 'text/event-stream': { itemSchema: ref('OwnRunEventFrame') } };
/**
 * Another protocol's SSE stream of a run (the AI SDK's UI message stream, AG-UI's events): each
 * frame named by its message's `type`, its data that message, its id our cursor.
 */
export const protocolSse = {
  'text/event-stream': {
    itemSchema: {
      type: 'object',
      required: ['event', 'data'],
      properties: {
        id: { type: 'string' },
        event: { type: 'string' },
        data: { type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
      },
    },
  },
};
export const answer = (description: string, content?: Json) => ({ description, ...(content ? { content } : {}) });
export const error = (description: string) => answer(description, json(ref('Error')));

/** A run's id in a path (of a workflow's runs, of a session's). */
export const runIdParameter = { name: 'run_id', in: 'path', required: true, schema: { type: 'string' } };

export const unavailable = () => error('Temporal or its workers are unavailable; try again shortly');

/** Query parameters of a zod object, as the server reads them. */
export function queryParameters(object: z.ZodObject): Json[] {
  return Object.entries(object.shape).map(([name, field]) => {
    const { $schema: _ignored, description, ...schema } = z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema };
  });
}

export function header(name: string, schema: z.ZodType, description: string): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Json;
  return { name, in: 'header', required: false, description, schema: rest };
}

/**
 * A body of AgentOS's form fields. Form fields are text: booleans as true/false, numbers in
 * decimal, objects and arrays as JSON (in multipart, as OpenAPI's default application/json parts).
 * A urlencoded form has no way to state a field holding JSON, so a body with a required object
 * field documents JSON and multipart only; the server reads such a field from a urlencoded form
 * as JSON text all the same (AgentOS).
 */
export const formBody = (name: string, { required = true, urlencoded = true } = {}) => ({
  required,
  content: {
    'application/json': { schema: ref(name) },
    ...(urlencoded ? { 'application/x-www-form-urlencoded': { schema: ref(name) } } : {}),
    'multipart/form-data': { schema: ref(name) },
  },
});

/** A JSON body, as AgentOS's session routes read it (FastAPI `Body`). */
export const jsonBody = (name: string) => ({ required: true, content: json(ref(name)) });

/** Answers every request with a body can get before its route runs: form bodies (`formBody`), or JSON ones only (`jsonBody`). */
export function bodyErrors(accepts: 'forms' | 'json'): Json {
  const tooLarge = error('Body larger than the limit (1 MiB by default)');
  if (accepts === 'json') {
    return {
      '400': error('The body is not valid JSON or not UTF-8'),
      '413': tooLarge,
      '415': error('A content type other than application/json'),
      '422': error('Invalid query or body (details per field)'),
    };
  }
  return {
    '400': error('The body is not valid JSON or not UTF-8, or a form that cannot be read or has more than 1000 fields'),
    '413': tooLarge,
    '415': error('A content type other than JSON, urlencoded or multipart form'),
    '422': error('The body does not match its schema (details per field)'),
  };
}
