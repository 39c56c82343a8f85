/** Mutations of a request body: missing and wrong fields, broken JSON and multipart, content types, oversize. */
import type { JsonSchema, Operation } from './openapi-operations.ts';
import type { Rng } from './prng.ts';
import { encode, jsonText, multipart, toFormValue } from './request-encoding.ts';
import type { Encoding } from './request-encoding.ts';
import { invalidFormValues, invalidJsonValues, kind, validValue } from './schema-values.ts';

export interface BodyPlan {
  label: string;
  invalid: boolean;
  build(fields: Record<string, unknown>): { body: Buffer; contentType?: string; chunked?: number };
}

/** The valid fields of a body, and the same fields made invalid by a missing required field (or a wrong type). */
export function baseFields(schema: JsonSchema, rng: Rng): Record<string, unknown> {
  return validValue(schema, rng) as Record<string, unknown>;
}

export function breakFields(schema: JsonSchema, fields: Record<string, unknown>, rng: Rng, drop?: string): { fields: Record<string, unknown>; label: string } {
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
export function bodyPlan(op: Operation, maxBodyBytes: number, rng: Rng, keep?: string): BodyPlan {
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
      const size = maxBodyBytes + rng.int(1, 256 * 1024);
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
