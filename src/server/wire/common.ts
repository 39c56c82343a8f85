/**
 * The small shapes every part of the wire shares: ids, JSON objects, integers in query strings,
 * the error body. Each exists once; resources build theirs from these (the integers and JSON
 * objects come from the contracts' wire schemas, which the runs' shapes are declared with).
 */
import { z } from 'zod';

export { boundedJsonObject, int, jsonObject, MAX_JSON_DEPTH } from '../../contracts/wire-schemas/common.ts';

/** Always empty: Agno's lists of what nothing here produces (media, reasoning, agents of the OS). */
export const none = z.array(z.unknown()).max(0);

// Ids end up in Temporal visibility queries and headers: no control characters.
export const id = z.string().min(1).max(256).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

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
