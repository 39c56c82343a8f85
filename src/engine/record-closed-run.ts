/**
 * A closed run written to the run store by the first reader that finds the store lacking it whole:
 * - a run whose end its workflow code never wrote (an operator's terminate, an execution timeout,
 *   Temporal's history limit): the events the store lacks, then the terminal event
 *   execution-end.ts makes for such an end (the next index, the same for every reader);
 * - a run that ended before the store existed, or under workers without one (back-fill): its
 *   whole log.
 * A closed execution's history is all committed, so what a query answers now is the run's log and
 * state for good. From then on the run is read from the store (see stored-runs.ts).
 */
import type { Client } from '@temporalio/client';
import type { RunEvent, RunState } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import { runRowOf } from '../run-store/run-row.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { readEventLog } from './event-reader.ts';
import type { ExecutionEnd } from './execution-end.ts';

/** `state`: the run's state as its closed execution answers it, with the status and reason of `end`. */
export async function recordClosedRun(client: Client, store: RunStore, runId: string, state: RunState, end: ExecutionEnd): Promise<void> {
  const stored = await store.lastEventIndex(runId);
  const events: RunEvent[] = [];
  // Not given the store: this read goes through Temporal, whatever the store holds.
  for await (const page of readEventLog(client, runId, { mode: 'snapshot', keepReferences: true, after: stored })) events.push(...page);
  const last = events.at(-1) ?? (await store.readEvents(runId, { after: stored - 1, limit: 1 })).events[0];
  // Only a log read to its end: anything else is not the run's end.
  if (!isEndOfLog(last)) return;
  if (events.length > 0) await store.appendEvents(runId, events);
  await store.putRun(runRowOf({ ...state, last_event_index: last!.event_index }, end.closedAt * 1000, end.closedAt));
}
