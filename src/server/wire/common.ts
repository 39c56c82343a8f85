/**
 * The small shapes every part of the wire shares: ids, JSON objects, integers in query strings,
 * the error body. Each exists once; resources build theirs from these.
 */
import { z } from 'zod';

export const int = z.number().int();

/** Any JSON object (metadata, tool arguments), as answers carry it. */
export const jsonObject = z.record(z.string(), z.unknown());

/** Always empty: Agno's lists of what nothing here produces (media, reasoning, agents of the OS). */
export const none = z.array(z.unknown()).max(0);

// Ids end up in Temporal visibility queries and headers: no control characters.
export const id = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

/**
 * How deep JSON objects in requests may nest. Far beyond any real use, and it keeps every
 * recursive walk of them (hashing for Idempotency-Key, payload conversion) well inside the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of a JSON value (a scalar is 0), walked without recursion; stops past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A JSON object a client sends (additional data, metadata): bounded in depth. */
export const boundedJsonObject = z
  .record(z.string(), z.unknown())
  .refine((value) => depthOf(value, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, `must not nest deeper than ${MAX_JSON_DEPTH} levels`)
  .describe(`A JSON object, nested at most ${MAX_JSON_DEPTH} levels deep.`);

/**
 * An integer in a query string: only its plain decimal spelling is read as a number, so `1e3`,
 * ` 5`, `0x10` or an empty value are refused rather than coerced.
 */
export const queryInteger = (min: number, max: number) =>
  z.preprocess((value) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value), z.number().int().min(min).max(max));

const validationIssue = z.object({ loc: z.array(z.string()), msg: z.string(), type: z.string() });
export const ErrorBody = z.object({
  detail: z.union([z.string(), z.array(validationIssue)]).describe('What went wrong; for invalid input, FastAPI-style issues.'),
});
