/**
 * Reads of ended runs from the run store (see docs/adr/0012-run-store-writes.md): no worker
 * query, so a finished run reads whole and at once, also with every worker down. The store
 * answers for a run only when it holds the run ended and whole (its row ended, the row's newest
 * event stored and ending the log) and Temporal agrees that the run's latest execution has closed:
 * a retry or an operator's reset opens a new execution before its first record reaches the store.
 * Runs the store lacks (ended before it existed, or ended outside workflow code) and runs still
 * going are read as before, through Temporal.
 */
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog, TERMINAL_STATUSES } from '../contracts/events.ts';
import { MAX_EVENT_PAGE_BYTES } from '../contracts/run-workflow-api.ts';
import type { RunRecord, RunStore } from '../run-store/run-store.ts';
import { executionEnd } from './execution-end.ts';

/** The run's row when the store holds the run ended and whole and its latest execution has closed; else undefined. */
export async function endedRunRecord(client: Client, store: RunStore, runId: string): Promise<RunRecord | undefined> {
  const row = await store.getRun(runId);
  if (!row || !TERMINAL_STATUSES.includes(row.status)) return undefined;
  const [last] = (await store.readEvents(runId, { after: row.last_event_index - 1, limit: 1 })).events;
  if (last?.event_index !== row.last_event_index || !isEndOfLog(last)) return undefined;
  // Asked of Temporal's server, not of a worker: no query, nothing replayed.
  return (await executionEnd(client, runId)) ? row : undefined;
}

/** The stored log after `after`, a page of at most about `MAX_EVENT_PAGE_BYTES` at a time. */
export async function* storedLogPages(store: RunStore, runId: string, after: number): AsyncGenerator<RunEvent[]> {
  for (let more = true; more; ) {
    const page = await store.readEvents(runId, { after, maxBytes: MAX_EVENT_PAGE_BYTES });
    if (page.events.length === 0) return;
    after = page.events.at(-1)!.event_index;
    more = page.more;
    yield page.events;
  }
}
