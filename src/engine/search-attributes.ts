/**
 * Search attributes of runs: they make runs listable and filterable by workflow, session and
 * user (through the API and in the Temporal Web UI). They must be registered on the namespace
 * before a run can set them; `ensureSearchAttributes` does that, idempotently.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

export const WORKFLOW_ID_ATTRIBUTE = defineSearchAttributeKey('AgentWorkflowId', SearchAttributeType.KEYWORD);
export const SESSION_ID_ATTRIBUTE = defineSearchAttributeKey('AgentSessionId', SearchAttributeType.KEYWORD);
export const USER_ID_ATTRIBUTE = defineSearchAttributeKey('AgentUserId', SearchAttributeType.KEYWORD);

const ALL = [WORKFLOW_ID_ATTRIBUTE, SESSION_ID_ATTRIBUTE, USER_ID_ATTRIBUTE];

/** Registers any of our search attributes the namespace lacks. */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = ALL.filter((key) => !(key.name in (existing.customAttributes ?? {})));
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
