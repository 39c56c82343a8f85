/** Values from JSON Schemas: valid ones, and ones the schema refuses (as JSON and as form fields). */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from './openapi-operations.ts';
import type { Rng } from './prng.ts';
import type { FormValue } from './request-encoding.ts';

/** The schema with one `anyOf` branch folded in: the branch's constraints on top of the rest. */
function withBranch(schema: JsonSchema, branch: JsonSchema): JsonSchema {
  const { anyOf: _branches, ...rest } = schema;
  const properties = { ...rest.properties };
  for (const [name, constraint] of Object.entries(branch.properties ?? {})) properties[name] = { ...properties[name], ...constraint };
  const required = [...new Set([...(rest.required ?? []), ...(branch.required ?? [])])];
  return { ...rest, ...branch, ...(rest.properties || branch.properties ? { properties } : {}), ...(required.length ? { required } : {}) };
}

const ajv = new Ajv2020({ strict: false });
const branchValidators = new WeakMap<JsonSchema, ((value: unknown) => boolean)[]>();

/**
 * Whether any branch accepts the value (checked by a real validator, not by the fuzzer's idea of
 * the schema). A branch that cannot be compiled (a `$ref` out of reach) counts as accepting.
 */
function someBranchAccepts(schema: JsonSchema, value: unknown): boolean {
  let validators = branchValidators.get(schema);
  if (!validators) {
    validators = schema.anyOf!.map((branch) => {
      try {
        const validate = ajv.compile(withBranch(schema, branch));
        return (v: unknown) => validate(v);
      } catch {
        return () => true;
      }
    });
    branchValidators.set(schema, validators);
  }
  return validators.some((accepts) => accepts(value));
}

/**
 * Values a schema with `anyOf` refuses. With a type of its own, what the rest of the schema
 * refuses (whatever the branch); a union of types: each branch's, kept when no branch takes them.
 */
function refusedByEveryBranch<V>(schema: JsonSchema, valuesOf: (schema: JsonSchema) => [string, V][], isValue: (value: V) => boolean): [string, V][] {
  const { anyOf: _branches, ...rest } = schema;
  if (rest.type) return valuesOf(rest);
  const candidates = schema.anyOf!.flatMap((branch) => valuesOf(withBranch(schema, branch)));
  return candidates.filter(([, value]) => !isValue(value) || !someBranchAccepts(schema, value));
}

export function kind(schema: JsonSchema): 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'array' | 'any' {
  const t = schema.type;
  if (t === 'string' || t === 'boolean' || t === 'integer' || t === 'number' || t === 'object' || t === 'array') return t;
  return 'any';
}

const PATTERN_PROBES = ['\u0000', 'a\u0001b', 'line\nbreak', '\t', '\u007f', ' ', '☃', '😀', '../x', "'", '"', '\\', '-1', 'UPPER', '_', '.'];

/** Strings of allowed length that the schema's `pattern` refuses (ECMAScript regex, as JSON Schema says). */
export function patternMismatches(schema: JsonSchema): string[] {
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
  if (schema.anyOf) return validValue(withBranch(schema, rng.pick(schema.anyOf)), rng);
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
      const n = Math.min(rng.int(schema.minItems ?? 0, (schema.minItems ?? 0) + 2), schema.maxItems ?? Infinity);
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
  if (schema.anyOf) return refusedByEveryBranch(schema, (branch) => invalidJsonValues(branch, rng, depth), () => true);
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
  // A form field of a union reaches the server as text (it converts fields of one type only).
  if (schema.anyOf) return refusedByEveryBranch(schema, (branch) => invalidFormValues(branch, rng, multipartBody), (value) => typeof value === 'string');
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
