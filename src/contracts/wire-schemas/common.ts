/**
 * The small shapes the wire schemas are written with: integers, JSON objects (of any depth as
 * answers carry them, bounded in depth as clients send them).
 */
import { z } from 'zod';

export const int = z.number().int();

/** AgentOS's pagination of a list's answer (its `PaginationInfo`). */
export const PageMeta = z.object({
  page: int.min(0),
  limit: int.min(1).max(1000),
  total_pages: int.min(0),
  total_count: int.min(0),
  search_time_ms: z.number().min(0),
});

/** Any JSON object (metadata, tool arguments), as answers carry it. */
export const jsonObject = z.record(z.string(), z.unknown());

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

