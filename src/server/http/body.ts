/**
 * Reads a request body as JSON, urlencoded or multipart form, into the fields of a schema.
 * Form values arrive as strings: they are converted by the type the schema declares for the
 * field (boolean, number, object), so one schema validates every content type. Bodies that are
 * not UTF-8, and forms of too many fields, are refused before any field is looked at (body-text.ts).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { decodeUtf8, parseMultipart, parseUrlencoded } from './body-text.ts';
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

/** The parameter `name` of a content type header (`boundary`), without quotes. */
function contentTypeParameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=("([^"]*)"|[^;\\s]*)`, 'i').exec(header);
  return match ? (match[2] ?? match[1]) : undefined;
}

/** The body's fields: JSON, urlencoded or multipart, read strictly (see body-text.ts); `form` when the values are form strings. */
async function readFields(c: Context): Promise<{ fields: Record<string, unknown>; form: boolean }> {
  const header = c.req.header('content-type') ?? '';
  const type = header.split(';')[0]!.trim().toLowerCase();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (type === 'application/json') {
    const text = decodeUtf8(bytes, 'The body');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'The body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(422, 'The JSON body must be an object.');
    return { fields: parsed as Record<string, unknown>, form: false };
  }
  if (type === 'application/x-www-form-urlencoded') return { fields: parseUrlencoded(bytes), form: true };
  if (type === 'multipart/form-data') return { fields: parseMultipart(bytes, contentTypeParameter(header, 'boundary')), form: true };
  // No body at all (whether sent with Content-Length: 0 or chunked): no fields.
  if (type === '' && bytes.byteLength === 0) return { fields: {}, form: false };
  throw new HttpError(415, `Unsupported content type ${type || '(none)'}: send application/json, application/x-www-form-urlencoded or multipart/form-data.`);
}

export async function readBody<S extends z.ZodObject>(c: Context, schema: S): Promise<z.infer<S>> {
  const { fields, form } = await readFields(c);
  if (!form) return validate(schema, fields, 'body');
  // No prototype: form field names such as `__proto__` or `constructor` stay plain data.
  const raw = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    const field = Object.hasOwn(schema.shape, name) ? (schema.shape[name] as z.ZodType) : undefined;
    if (!field) continue; // unknown fields are ignored, as in JSON bodies
    // Each field is one value: which of several to take would be a guess.
    if (Array.isArray(value)) throw new HttpError(422, [{ loc: ['body', name], msg: 'must be given once', type: 'repeated_field' }]);
    raw[name] = typeof value === 'string' ? fromFormString(kindOf(field), value) : value;
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

/** A body that must be JSON, as AgentOS's session routes read theirs (FastAPI `Body`); no body at all reads as no fields. */
export async function readJsonBody<S extends z.ZodObject>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const none = type === '' && (await c.req.arrayBuffer()).byteLength === 0;
  if (type !== 'application/json' && !none) throw new HttpError(415, `Unsupported content type ${type || '(none)'}: send application/json.`);
  return readBody(c, schema);
}
