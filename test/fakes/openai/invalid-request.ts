/**
 * OpenAI's refusals, in its own words and error shape: what both APIs check the same way (the
 * `Authorization` header, a JSON object body, required and typed fields, known parameters), and
 * the error each check answers with.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from './normalize.ts';
import type { Json } from './normalize.ts';
import type { OpenAIErrorBody } from './types.ts';

/** Thrown by a check; the fake answers with its body. */
export class InvalidRequest extends Error {
  readonly body: OpenAIErrorBody;

  constructor(message: string, options: { param?: string | null; code?: string | null; status?: number; type?: string } = {}) {
    super(message);
    this.body = {
      status: options.status ?? 400,
      message,
      type: options.type ?? 'invalid_request_error',
      param: options.param ?? null,
      code: options.code ?? null,
    };
  }
}

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
  "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. " +
  'You can obtain an API key from https://platform.openai.com/account/api-keys.';

/** A `Bearer` key, and the expected one when the fake was given one. */
export function checkAuthorization(headers: IncomingHttpHeaders, expectedKey: string | undefined): void {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (!key) throw new InvalidRequest(NO_KEY, { status: 401, code: 'invalid_api_key' });
  if (expectedKey !== undefined && key !== expectedKey) {
    const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : key;
    throw new InvalidRequest(`Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, {
      status: 401,
      code: 'invalid_api_key',
    });
  }
}

export function parseBody(raw: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        'The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, ' +
        'please contact us through our help center at help.openai.com.)',
    );
  }
  if (!isObject(parsed)) throw new InvalidRequest(`Invalid type for body: expected an object, but got ${kindOf(parsed)} instead.`, { code: 'invalid_type' });
  return parsed;
}

/** How OpenAI names a JSON value's type in its messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

export function missing(param: string): InvalidRequest {
  return new InvalidRequest(`Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });
}

export function invalidType(param: string, expected: string, value: unknown): InvalidRequest {
  return new InvalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${kindOf(value)} instead.`, { param, code: 'invalid_type' });
}

export function invalidValue(param: string, value: unknown, supported: readonly string[]): InvalidRequest {
  const list = supported.map((s) => `'${s}'`);
  const names = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list.at(-1)}` : list.join('');
  return new InvalidRequest(`Invalid value: '${String(value)}'. Supported values are: ${names}.`, { param, code: 'invalid_value' });
}

/** `body[key]` when present; it must be a string (and is required unless `optional`). */
export function stringField(body: Json, key: string, param: string, optional = false): string | undefined {
  const value = body[key];
  if (value === undefined) {
    if (optional) return undefined;
    throw missing(param);
  }
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  return value;
}

/** Checks shared by both APIs: `model`, `stream`, `temperature`, `top_p`, and no parameter outside `known`. */
export function checkCommonFields(body: Json, known: ReadonlySet<string>, unknownParameter: (key: string) => InvalidRequest): void {
  for (const key of Object.keys(body)) if (!known.has(key)) throw unknownParameter(key);
  stringField(body, 'model', 'model');
  if (body['stream'] !== undefined && body['stream'] !== null && typeof body['stream'] !== 'boolean') throw invalidType('stream', 'a boolean', body['stream']);
  numberInRange(body, 'temperature', 0, 2);
  numberInRange(body, 'top_p', 0, 1);
}

function numberInRange(body: Json, key: string, min: number, max: number): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number') throw invalidType(key, 'a number', value);
  if (value < min) throw new InvalidRequest(`Invalid '${key}': decimal below minimum value. Expected a value >= ${min}, but got ${value} instead.`, { param: key, code: 'decimal_below_min_value' });
  if (value > max) throw new InvalidRequest(`Invalid '${key}': decimal above maximum value. Expected a value <= ${max}, but got ${value} instead.`, { param: key, code: 'decimal_above_max_value' });
}

/** An integer field with a lower bound (token limits). */
export function integerAtLeast(body: Json, key: string, min: number): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidType(key, 'an integer', value);
  if (value < min) throw new InvalidRequest(`Invalid '${key}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`, { param: key, code: 'integer_below_min_value' });
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function checkFunctionName(name: unknown, param: string): void {
  if (name === undefined) throw missing(param);
  if (typeof name !== 'string') throw invalidType(param, 'a string', name);
  if (!FUNCTION_NAME.test(name)) {
    throw new InvalidRequest(`Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, { param, code: 'invalid_value' });
  }
}

/** A tool's JSON schema: an object when given. */
export function checkParameters(value: unknown, param: string): void {
  if (value !== undefined && value !== null && !isObject(value)) throw invalidType(param, 'an object', value);
}
