/**
 * Reads a request body as JSON, urlencoded or multipart form, into the fields of a schema.
 * Form values arrive as strings: they are converted by the type the schema declares for the
 * field (boolean, number, object), so one schema validates every content type.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { HttpError } from './errors.ts';

type FieldKind = 'boolean' | 'number' | 'object' | 'string' | 'other';

function kindOf(schema: z.ZodType): FieldKind {
  let current: z.ZodType = schema;
  // Look through optional / default / nullable wrappers to the declared type.
  for (let i = 0; i < 10; i++) {
    const def = (current as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
    if (def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(def.type)) {
      current = def.innerType;
      continue;
    }
    if (def.type === 'boolean') return 'boolean';
    if (def.type === 'number' || def.type === 'int') return 'number';
    if (def.type === 'record' || def.type === 'object' || def.type === 'array') return 'object';
    if (def.type === 'string' || def.type === 'enum') return 'string';
    return 'other';
  }
  return 'other';
}

function fromFormString(kind: FieldKind, value: string): unknown {
  switch (kind) {
    case 'boolean':
      // As JSON spells them (and Agno's clients send them): the document's boolean means these two.
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value; // left for the schema to reject with a clear message
    case 'number':
      // Only a plain decimal is a number: `1e3`, `0x10` or ` 5` stay text for the schema to refuse.
      if (value === '') return undefined;
      return /^-?\d{1,16}(\.\d{1,16})?$/.test(value) ? Number(value) : value;
    case 'object':
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

export async function readBody<S extends z.ZodObject>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let raw: Record<string, unknown>;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = await c.req.json();
    } catch {
      throw new HttpError(400, 'The body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(422, 'The JSON body must be an object.');
    raw = parsed as Record<string, unknown>;
  } else if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      throw new HttpError(400, 'The form body could not be read.');
    }
    // No prototype: form field names such as `__proto__` or `constructor` stay plain data.
    raw = Object.create(null) as Record<string, unknown>;
    for (const [name, value] of Object.entries(form)) {
      const field = Object.hasOwn(schema.shape, name) ? (schema.shape[name] as z.ZodType) : undefined;
      if (!field) continue; // unknown fields are ignored, as in JSON bodies
      // Each field is one value: which of several to take would be a guess.
      if (Array.isArray(value)) throw new HttpError(422, [{ loc: ['body', name], msg: 'must be given once', type: 'repeated_field' }]);
      raw[name] = typeof value === 'string' ? fromFormString(kindOf(field), value) : value;
    }
  } else if (type === '' && (await c.req.arrayBuffer()).byteLength === 0) {
    // No body at all (whether sent with Content-Length: 0 or chunked): no fields.
    raw = {};
  } else {
    throw new HttpError(415, `Unsupported content type ${type || '(none)'}: send application/json, application/x-www-form-urlencoded or multipart/form-data.`);
  }
  return validate(schema, raw, 'body');
}

/** Validates against a schema; failures are 422 with FastAPI-style details (loc, msg, type). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError(
    422,
    result.error.issues.map((issue) => ({ loc: [where, ...issue.path.map(String)], msg: issue.message, type: issue.code })),
  );
}
