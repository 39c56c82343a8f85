/**
 * The end of a run that its workflow code never wrote (an operator's terminate, an execution
 * timeout, Temporal's history limit), written to the run store by the first reader that finds the
 * execution closed: the events the store lacks, read through Temporal from the closed execution
 * (its history is all committed, so what a query answers now is the log), the terminal event
 * execution-end.ts makes for such an end (the next index, the same for every reader), and the
 * run's row, ended. From then on the run is read from the store (see stored-runs.ts).
 */
import type { Client } from '@temporalio/client';
import type { RunEvent, RunState } from '../contracts/events.ts';
import { isEndOfLog, TERMINAL_STATUSES } from '../contracts/events.ts';
import { runRowOf } from '../run-store/run-row.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { readEventLog } from './event-reader.ts';
import type { ExecutionEnd } from './execution-end.ts';

/** `state`: the run's state as its closed execution answers it, with the status and reason of `end`. */
export async function recordOutsideEnd(client: Client, store: RunStore, runId: string, state: RunState, end: ExecutionEnd): Promise<void> {
  const row = await store.getRun(runId);
  if (row && TERMINAL_STATUSES.includes(row.status)) return;
  const events: RunEvent[] = [];
  const after = await store.lastEventIndex(runId);
  for await (const page of readEventLog(client, runId, { mode: 'snapshot', keepReferences: true, after })) events.push(...page);
  const last = events.at(-1);
  // Only a log read to the end that Temporal's close makes: anything else is not the run's end.
  if (!isEndOfLog(last)) return;
  await store.appendEvents(runId, events);
  await store.putRun(runRowOf({ ...state, last_event_index: last!.event_index }, end.closedAt * 1000, end.closedAt));
}
