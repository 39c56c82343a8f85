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
import { bodyPlan, baseFields, breakFields } from './body-mutations.ts';
import type { BodyPlan } from './body-mutations.ts';
import type { JsonSchema, Operation } from './openapi-operations.ts';
import type { RawRequest } from './raw-http.ts';
import type { Rng } from './prng.ts';
import { encode, pct } from './request-encoding.ts';
import type { Encoding } from './request-encoding.ts';
import { kind, patternMismatches } from './schema-values.ts';

export { operationsOf } from './openapi-operations.ts';
export type { OpenApiDocument, Operation } from './openapi-operations.ts';

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
  /**
   * Where a case that may be accepted points instead, for operations that delete: invalid cases
   * aim at what exists (and must leave it), the others at what does not (a delete may succeed).
   */
  acceptedPathValue?(op: Operation, param: string): string | undefined;
  /** A valid request to this operation would change state: send it invalid requests only. */
  mustReject(op: Operation): boolean;
  /** The operation accepts ids that name nothing (AgentOS: a cancel or delete of what is not there). */
  acceptsUnknownIds(op: Operation): boolean;
  /** Largest body the server accepts, in bytes. */
  maxBodyBytes: number;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

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
    for (const v of ['XYZ', valid.toUpperCase(), `${valid} `, ` ${valid}`, '', `${valid},${valid}`, 'x'.repeat(5000)]) {
      if (!schema.enum.includes(v)) choices.push([`not in enum ${JSON.stringify(v.slice(0, 20))}`, v]);
    }
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
        // An id that names nothing is refused, where the operation does not take it for nothing to do.
        invalid = bad.sure && !targets.acceptsUnknownIds(op);
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
        plan = bodyPlan(op, targets.maxBodyBytes, rng, dropField);
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
    if (!invalid && family !== 'path') {
      const elsewhere = op.pathParams.flatMap((p) => {
        const value = targets.acceptedPathValue?.(op, p);
        return value === undefined ? [] : [[p, pct(value)]];
      });
      if (elsewhere.length > 0) path = pathWith(Object.fromEntries(elsewhere));
    }
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
