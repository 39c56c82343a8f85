/**
 * Registers the runs' search attributes (src/workflows/search-attributes.ts) on the namespace:
 * a run cannot set them before. Idempotent; called when workers and APIs start.
 */
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { RUN_SEARCH_ATTRIBUTES } from '../contracts/search-attributes.ts';

export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = RUN_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
}

/** A value for a visibility query, quoted. */
export function queryValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
