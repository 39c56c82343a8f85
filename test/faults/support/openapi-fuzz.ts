/**
 * Bad HTTP input generated from an OpenAPI 3.1 document: for each operation, requests with wrong
 * path ids, query parameters, headers, bodies (wrong types, missing and extra fields, huge and
 * unicode strings, broken JSON and multipart, wrong content types, oversize) and methods.
 *
 * Each case is classified from the schema: `invalid` cases break a rule the document states
 * (a type, a bound, a required field, a content type, a method) and must be refused with a 4xx;
 * the others (extra fields, odd but allowed strings, ...) may be accepted, and only must not 5xx.
 * Operations where an accepted request changes state (`mustReject`) only ever get invalid cases:
 * a mutation that might be accepted is combined with a missing required field.
 */
import type { RawRequest } from './raw-http.ts';
import type { Rng } from './prng.ts';

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  enum?: unknown[];
  additionalProperties?: unknown;
  $ref?: string;
  default?: unknown;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  /** Upper-case method. */
  method: string;
  /** Path template, e.g. `/workflows/{workflow_id}/runs`. */
  template: string;
  /** `POST /workflows/{workflow_id}/runs` */
  name: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  headers: { name: string; schema: JsonSchema }[];
  body?: { schema: JsonSchema; contentTypes: string[] };
  /** Methods the document defines for this path. */
  pathMethods: string[];
}

export interface FuzzCase {
  id: number;
  op: string;
  mutation: string;
  request: RawRequest;
  /** The request breaks a rule of the document: it must be refused with a 4xx. */
  invalid: boolean;
}

export interface FuzzTargets {
  /** A valid value of a path parameter for this operation (an existing workflow or run), unencoded. */
  pathValue(op: Operation, param: string): string;
  /** A valid request to this operation would change state: send it invalid requests only. */
  mustReject(op: Operation): boolean;
  /** Largest body the server accepts, in bytes. */
  maxBodyBytes: number;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(doc, target);
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pathMethods = Object.keys(item).map((m) => m.toUpperCase());
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content;
      const first = content ? Object.values(content)[0] : undefined;
      ops.push({
        method: method.toUpperCase(),
        template,
        name: `${method.toUpperCase()} ${template}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        headers: params.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: resolve(doc, p.schema ?? {}) })),
        body: content && first ? { schema: resolve(doc, first.schema), contentTypes: Object.keys(content) } : undefined,
        pathMethods,
      });
    }
  }
  return ops;
}

// ---- encoding ---------------------------------------------------------------------------------

/** Percent-encodes every byte of the UTF-8 encoding that is not unreserved (lone surrogates become U+FFFD). */
export function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface FilePart {
  file: true;
  filename: string;
  type: string;
  content: string;
}
type FormValue = string | FilePart;
type Encoding = 'json' | 'form' | 'multipart';

function isFile(value: unknown): value is FilePart {
  return typeof value === 'object' && value !== null && (value as FilePart).file === true;
}

/** A field value as a form carries it: objects and arrays as JSON text, as the server expects. */
function toFormValue(value: unknown): FormValue {
  if (isFile(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' || value === undefined) return JSON.stringify(value ?? null);
  return String(value);
}

function jsonText(fields: Record<string, unknown>): string {
  // Built by hand so keys such as `__proto__` go on the wire as plain keys.
  return `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',')}}`;
}

function multipart(fields: [string, FormValue][], boundary: string): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const quoted = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    if (isFile(value)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted}"; filename="${value.filename}"\r\nContent-Type: ${value.type}\r\n\r\n`));
      parts.push(Buffer.from(value.content));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted}"\r\n\r\n`));
      parts.push(Buffer.from(value, 'utf8'));
    }
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

interface EncodedBody {
  body: Buffer;
  contentType: string;
}

function encode(fields: Record<string, unknown>, encoding: Encoding, rng: Rng): EncodedBody {
  switch (encoding) {
    case 'json':
      return { body: Buffer.from(jsonText(fields), 'utf8'), contentType: 'application/json' };
    case 'form': {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) {
        const value = toFormValue(v);
        params.append(k, isFile(value) ? value.content : value);
      }
      return { body: Buffer.from(params.toString()), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'multipart': {
      const boundary = `----fuzz${rng.alnum(16)}`;
      const entries = Object.entries(fields).map(([k, v]) => [k, toFormValue(v)] as [string, FormValue]);
      return { body: multipart(entries, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    }
  }
}

// ---- values from schemas ----------------------------------------------------------------------

function kind(schema: JsonSchema): 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'array' | 'any' {
  const t = schema.type;
  if (t === 'string' || t === 'boolean' || t === 'integer' || t === 'number' || t === 'object' || t === 'array') return t;
  return 'any';
}

function isRecord(schema: JsonSchema): boolean {
  return kind(schema) === 'object' && !schema.properties;
}

const PATTERN_PROBES = ['\u0000', 'a\u0001b', 'line\nbreak', '\t', '\u007f', ' ', '☃', '😀', '../x', "'", '"', '\\', '-1', 'UPPER', '_', '.'];

/** Strings of allowed length that the schema's `pattern` refuses (ECMAScript regex, as JSON Schema says). */
function patternMismatches(schema: JsonSchema): string[] {
  if (!schema.pattern) return [];
  let re: RegExp;
  try {
    re = new RegExp(schema.pattern, 'u');
  } catch {
    return [];
  }
  const length = (v: string) => [...v].length;
  return PATTERN_PROBES.filter((v) => !re.test(v) && length(v) >= (schema.minLength ?? 0) && length(v) <= (schema.maxLength ?? Infinity));
}

/** A valid value. Strings start with `fuzz-`, so they never name a real step, run or workflow. */
export function validValue(schema: JsonSchema, rng: Rng): unknown {
  if (schema.enum) return rng.pick(schema.enum);
  switch (kind(schema)) {
    case 'string': {
      const min = Math.max(schema.minLength ?? 0, 6);
      const max = Math.min(schema.maxLength ?? 40, 40);
      return `fuzz-${rng.alnum(Math.max(1, rng.int(min, Math.max(min, max)) - 5))}`.slice(0, schema.maxLength ?? Infinity);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      return rng.int(min, Math.min(schema.maximum ?? min + 100, min + 100));
    }
    case 'array': {
      const n = rng.int(schema.minItems ?? 0, (schema.minItems ?? 0) + 2);
      return Array.from({ length: n }, () => validValue(schema.items ?? {}, rng));
    }
    case 'object': {
      if (!schema.properties) return rng.pick([{}, { topic: 'fuzz', n: 1, nested: { ok: true } }, { list: [1, 'two', null] }]);
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(schema.properties)) {
        if ((schema.required ?? []).includes(name) || rng.chance(0.5)) out[name] = validValue(prop, rng);
      }
      return out;
    }
    case 'any':
      return rng.pick(['fuzz', 1, true, null, {}]);
  }
}

/** Values the schema refuses, as JSON values. */
export function invalidJsonValues(schema: JsonSchema, rng: Rng, depth = 0): [string, unknown][] {
  const out: [string, unknown][] = [];
  const k = kind(schema);
  if (k !== 'string') out.push(['string', 'fuzz-not-' + k]);
  if (k !== 'integer' && k !== 'number') out.push(['number', rng.pick([42, -1, 0, 3.14])]);
  if (k !== 'boolean') out.push(['boolean', rng.chance(0.5)]);
  if (k !== 'array') out.push(['array', rng.pick([[], ['fuzz'], [1, 2]])]);
  if (k !== 'object') out.push(['object', rng.pick([{}, { a: 1 }])]);
  out.push(['null', null]);
  if (k === 'string') {
    if ((schema.minLength ?? 0) > 0) out.push(['empty string', '']);
    if (schema.maxLength !== undefined) out.push(['too long', 'x'.repeat(schema.maxLength + 1 + rng.int(0, 50))]);
    if (schema.enum) out.push(['not in enum', 'XYZ']);
    for (const v of patternMismatches(schema)) out.push([`pattern mismatch ${JSON.stringify(v)}`, v]);
  }
  if (k === 'integer' || k === 'number') {
    if (k === 'integer') out.push(['fraction', 1.5]);
    if (schema.minimum !== undefined) out.push(['below minimum', schema.minimum - 1 - rng.int(0, 1000)]);
    if (schema.maximum !== undefined) out.push(['above maximum', schema.maximum >= Number.MAX_SAFE_INTEGER ? 2 ** 60 : schema.maximum + 1]);
  }
  if (k === 'array') {
    if ((schema.minItems ?? 0) > 0) out.push(['too few items', []]);
    if (schema.items && depth < 2) {
      const bad = invalidJsonValues(schema.items, rng, depth + 1);
      const [label, value] = rng.pick(bad);
      out.push([`item ${label}`, [value]]);
    }
  }
  if (k === 'object' && schema.properties && depth < 2) {
    for (const name of schema.required ?? []) {
      const value = validValue(schema, rng) as Record<string, unknown>;
      delete value[name];
      out.push([`missing ${name}`, value]);
    }
    for (const [name, prop] of Object.entries(schema.properties)) {
      const value = validValue(schema, rng) as Record<string, unknown>;
      const [label, bad] = rng.pick(invalidJsonValues(prop, rng, depth + 1));
      value[name] = bad;
      out.push([`${name} ${label}`, value]);
    }
  }
  return out;
}

/** Values the schema refuses, as a form field carries them (a string, or a file part). */
export function invalidFormValues(schema: JsonSchema, rng: Rng, multipartBody: boolean): [string, FormValue][] {
  const out: [string, FormValue][] = [];
  const k = kind(schema);
  switch (k) {
    case 'string':
      if ((schema.minLength ?? 0) > 0) out.push(['empty string', '']);
      if (schema.maxLength !== undefined) out.push(['too long', 'y'.repeat(schema.maxLength + 1 + rng.int(0, 50))]);
      if (schema.enum) out.push(['not in enum', 'XYZ']);
      for (const v of patternMismatches(schema)) out.push([`pattern mismatch ${JSON.stringify(v)}`, v]);
      break;
    case 'boolean':
      for (const v of ['maybe', 'yes', 'no', 'on', '2', '-1', '', 'tru', 'null', 'TRUE!', '1.0', '[true]']) out.push([`bad boolean ${JSON.stringify(v)}`, v]);
      break;
    case 'integer':
    case 'number':
      for (const v of ['abc', '1e400', 'NaN', 'Infinity', '--1', '1,5', 'true']) out.push([`bad number ${v}`, v]);
      if (k === 'integer') out.push(['fraction', '1.5']);
      if (schema.minimum !== undefined) out.push(['below minimum', String(schema.minimum - 1)]);
      if (schema.maximum !== undefined) out.push(['above maximum', schema.maximum >= Number.MAX_SAFE_INTEGER ? '99999999999999999999' : String(schema.maximum + 1)]);
      break;
    case 'object':
    case 'array':
      for (const v of ['{bad json', '"a string"', '42', 'null', 'true', '', '{"a":', 'undefined', "{'single':'quotes'}"]) out.push([`bad JSON ${JSON.stringify(v)}`, v]);
      out.push([k === 'object' ? 'array instead of object' : 'object instead of array', k === 'object' ? '[1,2]' : '{"step_id":"fuzz-x"}']);
      if (k === 'array') for (const [label, value] of invalidJsonValues(schema, rng)) if (Array.isArray(value)) out.push([`JSON ${label}`, JSON.stringify(value)]);
      break;
  }
  // A file where a value is expected: not a string, whatever the field.
  if (multipartBody && k !== 'any') out.push(['file part', { file: true, filename: 'fuzz.bin', type: 'application/octet-stream', content: 'file content' }]);
  return out;
}

// ---- cases ------------------------------------------------------------------------------------

interface BodyPlan {
  label: string;
  invalid: boolean;
  build(fields: Record<string, unknown>): { body: Buffer; contentType?: string; chunked?: number };
}

/** The valid fields of a body, and the same fields made invalid by a missing required field (or a wrong type). */
function baseFields(schema: JsonSchema, rng: Rng): Record<string, unknown> {
  return validValue(schema, rng) as Record<string, unknown>;
}

function breakFields(schema: JsonSchema, fields: Record<string, unknown>, rng: Rng, drop?: string): { fields: Record<string, unknown>; label: string } {
  const required = schema.required ?? [];
  const out = { ...fields };
  if (required.length > 0) {
    const name = drop ?? rng.pick(required);
    delete out[name];
    return { fields: out, label: `missing ${name}` };
  }
  const name = rng.pick(Object.keys(schema.properties ?? {}));
  out[name] = rng.pick(invalidJsonValues(schema.properties![name]!, rng))[1];
  return { fields: out, label: `${name} wrong type` };
}

function stringProps(schema: JsonSchema): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).filter(([, p]) => kind(p) === 'string' && !p.enum);
}

const EXTRA_NAMES = ['extra', 'unexpected', '__proto__', 'constructor', 'prototype', 'toString', 'MESSAGE', 'message ', 'a.b', 'a[b]', 'x[]', '', ' ', '$where', 'stream\u0000'];

/**
 * A body mutation for an operation with a request body. `keep`: a required field the caller will
 * drop to make the request invalid, which the mutation must not set again.
 */
function bodyPlan(op: Operation, targets: FuzzTargets, rng: Rng, keep?: string): BodyPlan {
  const schema = op.body!.schema;
  const encodings: Encoding[] = ['json', 'form', 'multipart'];
  const enc = rng.pick(encodings);
  const hasRequired = (schema.required ?? []).length > 0;
  const props = Object.entries(schema.properties ?? {});
  const allStrings = stringProps(schema);
  // Mutations that leave the body valid must not restore the field that makes it invalid.
  const strings = allStrings.filter(([name]) => name !== keep);
  const family = rng.weighted<string>([
    [hasRequired ? 3 : 0, 'missing-required'],
    [7, 'wrong-type'],
    [2, 'extra-fields'],
    [allStrings.some(([, p]) => p.maxLength !== undefined) ? 2 : 0, 'huge-string'],
    [strings.length > 0 ? 2 : 0, 'unicode'],
    [3, 'invalid-json'],
    [3, 'content-type'],
    [1, 'malformed-multipart'],
    [1, 'oversize'],
    [1, 'invalid-utf8'],
  ]);
  const plain = (label: string, invalid: boolean, e: Encoding = enc, edit?: (f: Record<string, unknown>) => void): BodyPlan => ({
    label: `${label} (${e})`,
    invalid,
    build(fields) {
      const f = { ...fields };
      edit?.(f);
      return encode(f, e, rng);
    },
  });
  switch (family) {
    case 'missing-required': {
      const drop = (schema.required ?? []).filter(() => rng.chance(0.7));
      if (drop.length === 0) drop.push(rng.pick(schema.required!));
      if (rng.chance(0.2)) return plain('empty object', true, enc, (f) => Object.keys(f).forEach((k) => delete f[k]));
      return plain(`missing ${drop.join(',')}`, true, enc, (f) => drop.forEach((k) => delete f[k]));
    }
    case 'wrong-type': {
      const [name, prop] = rng.pick(props);
      if (enc === 'json') {
        const [label, value] = rng.pick(invalidJsonValues(prop, rng));
        return plain(`${name}: ${label}`, true, enc, (f) => (f[name] = value));
      }
      const choices = invalidFormValues(prop, rng, enc === 'multipart');
      if (choices.length === 0) return plain(`${name}: no bad form value`, false, enc);
      const [label, value] = rng.pick(choices);
      return plain(`${name}: ${label}`, true, enc, (f) => (f[name] = value));
    }
    case 'extra-fields': {
      const n = rng.int(1, 5);
      return plain(`${n} extra fields`, false, enc, (f) => {
        for (let i = 0; i < n; i++) {
          const name = rng.chance(0.6) ? rng.pick(EXTRA_NAMES) : rng.nasty(rng.int(1, 12));
          const value = rng.pick<unknown>([rng.nasty(20), 1, true, null, { a: [1, { b: 'c' }] }, 'x'.repeat(rng.int(0, 5000))]);
          Object.defineProperty(f, name, { value: enc === 'json' ? value : toFormValue(value), enumerable: true, configurable: true, writable: true });
        }
      });
    }
    case 'huge-string': {
      const [name, prop] = rng.pick(allStrings.filter(([, p]) => p.maxLength !== undefined));
      const unit = rng.pick(['x', '☃', '😀']);
      // maxLength counts code points (JSON Schema's characters; zod counts the same way).
      const length = prop.maxLength! + 1 + rng.int(0, 100);
      const value = unit.repeat(length);
      const bytes = Buffer.byteLength(value);
      // Over the body limit it is a 413 instead of a 422: refused all the same.
      return plain(`${name} of ${length} code points (${bytes} bytes)`, true, enc, (f) => (f[name] = value));
    }
    case 'unicode': {
      const [name, prop] = rng.pick(strings);
      const value = rng.nasty(rng.int(1, Math.min(prop.maxLength ?? 64, 64)));
      return plain(`${name}: unicode/control characters`, false, enc, (f) => (f[name] = value));
    }
    case 'invalid-json': {
      const variant = rng.pick(['truncated', 'trailing garbage', 'single quotes', 'trailing comma', 'NaN', 'comment', 'empty', 'null', 'array', 'string', 'number', 'deep unclosed', 'deep array', 'deep field', 'huge number', 'duplicate keys', 'bom']);
      const json = (body: string, invalid = true) => ({ label: `invalid JSON: ${variant}`, invalid, build: () => ({ body: Buffer.from(body, 'utf8'), contentType: 'application/json' }) });
      return {
        label: `invalid JSON: ${variant}`,
        // Still JSON objects: refused only when their fields are.
        invalid: !['deep field', 'huge number', 'duplicate keys', 'bom'].includes(variant),
        build(fields) {
          const text = jsonText(fields);
          const depth = rng.int(1000, 50_000);
          switch (variant) {
            case 'truncated':
              return json(text.slice(0, rng.int(1, text.length - 1))).build();
            case 'trailing garbage':
              return json(text + rng.pick(['x', '}', ',', ' {}', '\u0000', '<'])).build();
            case 'single quotes':
              return json(text.includes('"') ? text.replace(/"/g, "'") : "{'fuzz':1}").build();
            case 'trailing comma':
              return json(text.length > 2 ? text.replace(/}$/, ',}') : '{,}').build();
            case 'NaN':
              return json(text.replace(/}$/, `${text.length > 2 ? ',' : ''}"n":NaN}`)).build();
            case 'comment':
              return json(`/* fuzz */${text}`).build();
            case 'empty':
              return json(rng.pick(['', ' ', '\n'])).build();
            case 'null':
              return json('null').build();
            case 'array':
              return json(`[${text}]`).build();
            case 'string':
              return json(JSON.stringify(text)).build();
            case 'number':
              return json('42').build();
            case 'deep unclosed':
              return json('['.repeat(depth)).build();
            case 'deep array':
              return json('['.repeat(depth) + ']'.repeat(depth)).build();
            case 'deep field':
              return json(text.replace(/}$/, `${text.length > 2 ? ',' : ''}"deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`)).build();
            case 'huge number':
              return json(text.replace(/}$/, `${text.length > 2 ? ',' : ''}"n":1e400,"m":-${'9'.repeat(500)}}`)).build();
            case 'duplicate keys':
              return json(text.replace(/^{/, `{"${Object.keys(fields)[0] ?? 'x'}":12345,`)).build();
            default: // bom
              return json(`\ufeff${text}`).build();
          }
        },
      };
    }
    case 'content-type': {
      const variant = rng.pick([
        'text/plain', 'application/xml', 'none', 'application/octet-stream', 'text/json', 'application/jsonx', 'application/x-www-form-urlencoded-x',
        'json body as form', 'form body as json', 'multipart without boundary', 'charset utf-16', 'upper case', 'none, chunked',
      ]);
      // A content type the server reads (a form or JSON) is refused only when what it reads is.
      const readable = ['json body as form', 'multipart without boundary', 'charset utf-16', 'upper case', 'none, chunked'].includes(variant);
      return {
        label: `content type: ${variant}`,
        invalid: !readable || (hasRequired && ['json body as form', 'multipart without boundary', 'none, chunked'].includes(variant)),
        build(fields) {
          const text = jsonText(fields);
          const form = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(toFormValue(v))])).toString();
          switch (variant) {
            case 'application/xml':
              return { body: Buffer.from(`<?xml version="1.0"?><body>${Object.entries(fields).map(([k, v]) => `<${k}>${String(toFormValue(v))}</${k}>`).join('')}</body>`), contentType: 'application/xml' };
            case 'none':
              // Never empty: an empty body without a content type is a body-less request, which is valid.
              return { body: Buffer.from(rng.chance(0.5) || !form ? text : form) };
            case 'none, chunked':
              return { body: Buffer.from(rng.chance(0.5) ? text : form), chunked: 7 };
            case 'json body as form':
              return { body: Buffer.from(text), contentType: 'application/x-www-form-urlencoded' };
            case 'form body as json':
              return { body: Buffer.from(form || 'a=b'), contentType: 'application/json' };
            case 'multipart without boundary':
              return { body: Buffer.from(form || 'a=b'), contentType: 'multipart/form-data' };
            case 'charset utf-16':
              return { body: Buffer.from(text), contentType: 'application/json; charset=utf-16' };
            case 'upper case':
              return { body: Buffer.from(text), contentType: 'APPLICATION/JSON' };
            default:
              return { body: Buffer.from(rng.chance(0.5) ? text : form), contentType: variant };
          }
        },
      };
    }
    case 'malformed-multipart': {
      const variant = rng.pick(['no closing boundary', 'other boundary', 'garbage', 'no disposition', 'broken header', 'many parts', 'empty']);
      return {
        label: `malformed multipart: ${variant}`,
        // Whatever a lenient parser makes of it, the fields it can find are valid: not refused by the schema.
        invalid: false,
        build(fields) {
          const boundary = `b${rng.alnum(12)}`;
          const good = multipart(Object.entries(fields).map(([k, v]) => [k, toFormValue(v)]), boundary).toString('latin1');
          const ct = `multipart/form-data; boundary=${boundary}`;
          let body: string;
          switch (variant) {
            case 'no closing boundary':
              body = good.replace(`--${boundary}--\r\n`, '');
              break;
            case 'other boundary':
              body = good.replaceAll(boundary, `x${boundary}`);
              break;
            case 'garbage':
              body = rng.nasty(200);
              break;
            case 'no disposition':
              body = good.replace(/Content-Disposition: [^\r]*\r\n/g, '');
              break;
            case 'broken header':
              body = good.replace(/Content-Disposition: form-data; name=/g, 'Content-Disposition form-data name');
              break;
            case 'many parts':
              body = Array.from({ length: 5000 }, (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="p${i}"\r\n\r\nv\r\n`).join('') + good;
              break;
            default:
              body = '';
          }
          return { body: Buffer.from(body, 'latin1'), contentType: ct };
        },
      };
    }
    case 'oversize': {
      const e = rng.pick(encodings);
      const chunked = rng.chance(0.4) ? rng.pick([1024, 16 * 1024, 64 * 1024]) : undefined;
      const size = targets.maxBodyBytes + rng.int(1, 256 * 1024);
      return {
        label: `oversize ${size} bytes (${e}${chunked ? ', chunked' : ''})`,
        invalid: true,
        build(fields) {
          const f = { ...fields, padding: 'p'.repeat(size) };
          return { ...encode(f, e, rng), chunked };
        },
      };
    }
    default: {
      // invalid-utf8: bytes that are not UTF-8 inside a string value; decoders replace them.
      const name = strings.length > 0 ? rng.pick(strings)[0] : 'padding';
      return {
        label: `invalid UTF-8 in ${name} (${enc})`,
        invalid: false,
        build(fields) {
          const marker = 'fuzzMARKERfuzz';
          const encoded = encode({ ...fields, [name]: marker }, enc, rng);
          const raw = Buffer.from(rng.pick([[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]));
          const at = encoded.body.indexOf(marker);
          const replacement = enc === 'form' ? Buffer.from([...raw].map((b) => `%${b.toString(16).toUpperCase()}`).join('')) : raw;
          const body = Buffer.concat([encoded.body.subarray(0, at), replacement, encoded.body.subarray(at + marker.length)]);
          return { body, contentType: encoded.contentType };
        },
      };
    }
  }
}

// ---- path, query, header and method mutations -------------------------------------------------

/** Ids no run or workflow has; `normalises` when a URL parser may turn them into another path. */
function badPathValue(valid: string, rng: Rng): { raw: string; label: string; sure: boolean } {
  const variant = rng.pick([
    'long', 'long', 'nul', 'nul suffix', 'unicode', 'emoji', 'invalid utf-8', 'percent', 'percent zz', 'latin1 byte', 'raw latin1 byte', 'upper case',
    'encoded slash', 'encoded dots', 'dot dot', 'dot', 'dot dot slash', 'backslash', 'empty', 'control', 'quotes', 'nasty',
  ]);
  switch (variant) {
    case 'long':
      return { raw: 'l'.repeat(rng.pick([257, 1001, 2000, 5000, 10_000])), label: 'very long', sure: true };
    case 'nul':
      return { raw: '%00', label: '%00', sure: true };
    case 'nul suffix':
      return { raw: `${pct(valid)}%00`, label: 'valid id + %00', sure: true };
    case 'unicode':
      return { raw: pct(`☃${valid}`), label: 'unicode', sure: true };
    case 'emoji':
      return { raw: pct('😀👩‍👩‍👧‍👦'), label: 'emoji', sure: true };
    case 'invalid utf-8':
      return { raw: '%FF%FE%80', label: 'invalid UTF-8 escapes', sure: true };
    case 'percent':
      return { raw: rng.pick(['%', '%%', 'a%']), label: 'lone %', sure: true };
    case 'percent zz':
      return { raw: '%zz%G0', label: 'bad escapes', sure: true };
    case 'latin1 byte':
      return { raw: `${pct(valid)}%E9%FF%09%20`, label: 'encoded latin1 bytes and blanks', sure: true };
    case 'raw latin1 byte':
      // Not valid in a request line: refused by Node's HTTP parser, before the app.
      return { raw: `${pct(valid)}\u00e9\u00ff`, label: 'raw latin1 bytes', sure: true };
    case 'upper case':
      return { raw: pct(valid.toUpperCase() === valid ? `${valid}X` : valid.toUpperCase()), label: 'upper case', sure: true };
    case 'encoded slash':
      return { raw: '..%2F..%2Fhealth', label: '..%2F', sure: true };
    case 'encoded dots':
      return { raw: rng.pick(['%2e%2e', '%2E%2E%2F', '.%2e']), label: 'encoded dot segment', sure: false };
    case 'dot dot':
      return { raw: '..', label: '..', sure: false };
    case 'dot':
      return { raw: '.', label: '.', sure: false };
    case 'dot dot slash':
      return { raw: rng.pick(['../', '../..', '../../../etc/passwd']), label: '../', sure: false };
    case 'backslash':
      return { raw: rng.pick(['..\\..\\', 'a\\b', '\\']), label: 'backslash', sure: false };
    case 'empty':
      return { raw: '', label: 'empty', sure: false };
    case 'control':
      return { raw: pct(`a\r\nb\t${valid}`), label: 'encoded CR LF', sure: true };
    case 'quotes':
      return { raw: pct(`${valid}' OR '1'='1`), label: 'quotes', sure: true };
    default:
      return { raw: pct(rng.nasty(rng.int(1, 40))), label: 'nasty unicode', sure: false };
  }
}

function badQueryValue(schema: JsonSchema, rng: Rng): [string, string] {
  const k = kind(schema);
  const choices: [string, string][] = [];
  if (k === 'integer' || k === 'number') {
    for (const v of ['abc', '1e400', 'NaN', 'Infinity', '-Infinity', '--1', '1,5', 'true', '0x', '1_000']) choices.push([`bad number ${v}`, v]);
    if (k === 'integer') choices.push(['fraction', '1.5']);
    if (schema.minimum !== undefined) choices.push(['below minimum', String(schema.minimum - rng.int(1, 1000))]);
    if (schema.maximum !== undefined) choices.push(['above maximum', schema.maximum >= Number.MAX_SAFE_INTEGER ? '9'.repeat(rng.int(17, 400)) : String(schema.maximum + rng.int(1, 1000))]);
  } else if (schema.enum) {
    const valid = String(rng.pick(schema.enum));
    for (const v of ['XYZ', valid.toLowerCase(), `${valid} `, ` ${valid}`, '', `${valid},${valid}`, 'x'.repeat(5000)]) choices.push([`not in enum ${JSON.stringify(v.slice(0, 20))}`, v]);
  } else if (k === 'string') {
    if ((schema.minLength ?? 0) > 0) choices.push(['empty', '']);
    if (schema.maxLength !== undefined) choices.push(['too long', 'q'.repeat(schema.maxLength + rng.int(1, 3000))]);
    for (const v of patternMismatches(schema)) choices.push([`pattern mismatch ${JSON.stringify(v)}`, v]);
  }
  return choices.length > 0 ? rng.pick(choices) : ['none', ''];
}

const HOSTS = ['a b', '[::1', 'évil.example', '', 'example.com:99999', '127.0.0.1:0', '..', 'x'.repeat(300)];

/** Generates `count` cases for one operation. */
export function generateCases(op: Operation, targets: FuzzTargets, rng: Rng, count: number, firstId: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const mustReject = targets.mustReject(op);
  const valid: Record<string, string> = Object.fromEntries(op.pathParams.map((p) => [p, targets.pathValue(op, p)]));
  const pathWith = (overrides: Record<string, string> = {}) =>
    op.template.replace(/\{([^}]+)\}/g, (_, name: string) => overrides[name] ?? pct(valid[name] ?? name));
  const otherMethods = HTTP_METHODS.filter((m) => !op.pathMethods.includes(m));

  for (let i = 0; i < count; i++) {
    const family = rng.weighted<string>([
      [op.pathParams.length > 0 ? 3 : 0, 'path'],
      [op.query.length > 0 ? 3 : 1, 'query'],
      [op.headers.length > 0 ? 2 : 0, 'declared-header'],
      [1, 'header'],
      [otherMethods.length > 0 ? 1 : 0, 'method'],
      [op.body ? 10 : 0, 'body'],
    ]);
    const headers: Record<string, string> = {};
    let path = pathWith();
    let query = '';
    let method = op.method;
    let mutation = '';
    let invalid = false;
    // A body plan for operations with a body; the default one is valid JSON of valid fields.
    let plan: BodyPlan | undefined;
    let breakBody = false;
    let dropField: string | undefined;

    switch (family) {
      case 'path': {
        const param = rng.pick(op.pathParams);
        const bad = badPathValue(valid[param]!, rng);
        path = pathWith({ [param]: bad.raw });
        mutation = `path ${param}: ${bad.label}`;
        invalid = bad.sure;
        breakBody = true;
        break;
      }
      case 'query': {
        if (op.query.length > 0 && rng.chance(0.75)) {
          const param = rng.pick(op.query);
          const [label, value] = badQueryValue(param.schema, rng);
          query = `${pct(param.name)}=${pct(value)}`;
          mutation = `query ${param.name}: ${label}`;
          // An integer given as '' is read as 0 (within bounds for some): only labelled values are sure.
          invalid = label !== 'none';
        } else {
          const variant = rng.pick(['extra params', 'repeated', 'bad escapes', 'huge', 'no value', 'nasty values', 'separators']);
          const name = op.query.length > 0 ? rng.pick(op.query).name : 'q';
          query = {
            'extra params': () => `unexpected=1&${pct(rng.nasty(8))}=${pct(rng.nasty(8))}`,
            repeated: () => `${name}=1&${name}=abc&${name}=`,
            'bad escapes': () => `${name}=${rng.pick(['%', '%zz', '%FF%FE', '%00', '%C0%AF', '%E0%80'])}`,
            huge: () => `${name}=${'h'.repeat(rng.int(2000, 8000))}`,
            'no value': () => name,
            'nasty values': () => `${name}=${pct(rng.nasty(rng.int(1, 100)))}`,
            separators: () => rng.pick(['&&&', '===', '&=&=', '?', '#frag', ';a=b']),
          }[variant]!();
          mutation = `query: ${variant}`;
        }
        breakBody = mustReject;
        break;
      }
      case 'declared-header': {
        const header = rng.pick(op.headers);
        const max = header.schema.maxLength;
        if (max !== undefined && rng.chance(0.5)) {
          headers[header.name] = 'k'.repeat(max + rng.int(1, 4000));
          mutation = `header ${header.name}: too long`;
          invalid = true;
        } else {
          const value = rng.pick(['abc', '', ' ', '1.5', '-', '1e3', '\u00ff\u00e9', '9'.repeat(400), '-99', '0x10', '1,2', 'a b', '\t1', '"quoted"', 'null', '{}']);
          headers[header.name] = value;
          mutation = `header ${header.name}: ${JSON.stringify(value.slice(0, 20))}`;
          breakBody = mustReject;
        }
        break;
      }
      case 'header': {
        const variant = rng.pick(['authorization', 'accept', 'accept-encoding', 'cookie', 'forwarded', 'host', 'content-type on GET', 'many headers', 'latin1']);
        switch (variant) {
          case 'authorization':
            headers.authorization = rng.pick(['Bearer', 'Bearer ', `Bearer ${'t'.repeat(8000)}`, 'Basic Zm9vOmJhcg==', 'bearer \u00ff', 'Token x']);
            break;
          case 'accept':
            headers.accept = rng.pick(['text/event-stream', 'application/xml', '*/*;q=abc', '', 'image/png']);
            break;
          case 'accept-encoding':
            headers['accept-encoding'] = rng.pick(['gzip;q=abc', 'br, zstd, *;q=0', 'identity;q=0', '\u00ff']);
            break;
          case 'cookie':
            headers.cookie = rng.pick(['a=b; a=c', '=;=;=', `c=${'c'.repeat(5000)}`, '\u00ff=\u00ff']);
            break;
          case 'forwarded':
            headers['x-forwarded-for'] = rng.pick(['garbage', '::::', '1.2.3.4, ' + 'x'.repeat(1000)]);
            headers['x-forwarded-proto'] = rng.pick(['gopher', '', 'https']);
            break;
          case 'host':
            headers.host = rng.pick(HOSTS);
            break;
          case 'content-type on GET':
            headers['content-type'] = rng.pick(['application/json', 'multipart/form-data', 'text/plain']);
            break;
          case 'many headers':
            for (let h = 0; h < 80; h++) headers[`x-fuzz-${h}`] = rng.alnum(20);
            break;
          default:
            headers['x-fuzz'] = '\u00e9\u00ff\u0080';
        }
        mutation = `header: ${variant}`;
        breakBody = mustReject;
        break;
      }
      case 'method': {
        method = rng.pick(otherMethods);
        mutation = `method ${method}`;
        invalid = true;
        breakBody = true;
        break;
      }
      default: {
        dropField = mustReject && op.body!.schema.required?.length ? rng.pick(op.body!.schema.required) : undefined;
        plan = bodyPlan(op, targets, rng, dropField);
        mutation = `body: ${plan.label}`;
        invalid = plan.invalid;
        if (mustReject && !invalid) breakBody = true;
      }
    }

    let body: Buffer | undefined;
    let chunked: number | undefined;
    if (op.body || breakBody) {
      const schema = op.body?.schema ?? { type: 'object', properties: {} };
      let fields = baseFields(schema, rng);
      if (breakBody && op.body) {
        const broken = breakFields(schema, fields, rng, dropField);
        fields = broken.fields;
        mutation += ` + ${broken.label}`;
        invalid ||= family === 'body' || family === 'path' || family === 'method' || mustReject;
      }
      const built = plan ? plan.build(fields) : op.body ? encode(fields, rng.pick<Encoding>(['json', 'form', 'multipart']), rng) : undefined;
      if (built) {
        body = built.body;
        chunked = 'chunked' in built ? built.chunked : undefined;
        if (built.contentType !== undefined) headers['content-type'] = built.contentType;
      }
    }
    if (mustReject && !invalid) throw new Error(`generator bug: a maybe-valid case for ${op.name}: ${mutation}`);
    cases.push({
      id: firstId + i,
      op: op.name,
      mutation,
      invalid,
      request: { method, path: query ? `${path}?${query}` : path, headers, body, chunked },
    });
  }
  return cases;
}
