/**
 * What a run leaves in Temporal, per execution: every execution that carried the run id (its
 * first start, each continue-as-new, each retry), with its history's length and size as Temporal
 * stores them (claims, not the payloads they name: read raw, without the data converter).
 */
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { WorkflowBundle } from '@temporalio/worker';
import { fetchRunHistory, replayHistory } from '../../../src/replay/replay.ts';

export interface ExecutionSize {
  executionRunId: string;
  events: number;
  bytes: number;
}

export const HISTORY_EVENTS_LIMIT = 10_000;
export const HISTORY_BYTES_LIMIT = 2 * 1024 * 1024;

export async function executionSizes(client: Client, runId: string): Promise<ExecutionSize[]> {
  const ids = new Set<string>();
  // The latest chain, back through continue-as-new (each execution names the one it continued).
  let current: string | undefined = (await client.workflow.getHandle(runId).describe()).runId;
  const chain: string[] = [];
  while (current) {
    chain.unshift(current);
    const page = await rawHistoryPage(client, runId, current);
    current = page.events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  // Earlier chains (a retried run's failed attempts), from visibility.
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${runId}'` })) ids.add(execution.runId);
  for (const id of chain) ids.delete(id);
  const sizes: ExecutionSize[] = [];
  for (const id of [...ids, ...chain]) sizes.push(await executionSize(client, runId, id));
  return sizes;
}

async function rawHistoryPage(client: Client, workflowId: string, runId: string, nextPageToken?: Uint8Array) {
  const response = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId, runId }, nextPageToken });
  return { events: response.history?.events ?? [], nextPageToken: response.nextPageToken };
}

async function executionSize(client: Client, workflowId: string, runId: string): Promise<ExecutionSize> {
  let events = 0;
  let bytes = 0;
  let token: Uint8Array | undefined;
  do {
    const page = await rawHistoryPage(client, workflowId, runId, token);
    for (const event of page.events) bytes += proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().byteLength;
    events += page.events.length;
    token = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (token);
  return { executionRunId: runId, events, bytes };
}

/** Every execution's history within 10,000 events and 2 MB. */
export function assertWithinHistoryBudget(sizes: ExecutionSize[]): void {
  for (const size of sizes) {
    assert.ok(size.events <= HISTORY_EVENTS_LIMIT, `execution ${size.executionRunId}: ${size.events} history events`);
    assert.ok(size.bytes <= HISTORY_BYTES_LIMIT, `execution ${size.executionRunId}: ${size.bytes} history bytes`);
  }
}

export function describeSizes(sizes: ExecutionSize[]): string {
  const total = sizes.reduce((sum, size) => ({ events: sum.events + size.events, bytes: sum.bytes + size.bytes }), { events: 0, bytes: 0 });
  const largest = Math.max(...sizes.map((size) => size.bytes));
  const longest = Math.max(...sizes.map((size) => size.events));
  return `${sizes.length} executions, ${total.events} events / ${(total.bytes / 1024).toFixed(1)} KB in all; largest ${longest} events / ${(largest / 1024).toFixed(1)} KB`;
}

/** Every execution of the run replays against the current workflow code (each resumes where the one before stopped). */
export async function assertReplays(client: Client, runId: string, workflowBundle: WorkflowBundle): Promise<void> {
  for (const { executionRunId } of await executionSizes(client, runId)) {
    const outcome = await replayHistory(await fetchRunHistory(client, runId, executionRunId), { workflowBundle });
    assert.equal(outcome.ok, true, `execution ${executionRunId}: ${outcome.error?.message}`);
  }
}
