/**
 * The events a run's output carries (Agno's `WorkflowRunOutput.events`), read through the one
 * event reader in snapshot mode and cut at a byte budget: a run may have tens of thousands of
 * events (every content chunk is one), and a run list holds up to hundreds of runs. The events
 * kept are the log's first ones, whole; `truncated` says the log goes on (and `reason` why), and a
 * client reads the rest from the run's event stream after the last one it got.
 *
 * The budget bounds memory too, not only the answer: texts held by reference are read one event
 * at a time, and an event whose texts alone would overflow the budget is not read at all.
 */
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { minExpandedJsonLength } from '../contracts/text-refs.ts';
import { engineData, textScope } from './engine-data.ts';
import { readEventLog } from './event-reader.ts';
import type { RunStore } from '../run-store/run-store.ts';
import type { StoredRun } from './stored-runs.ts';

/** Bytes of events (as JSON) one run read carries at most: about one page of the log. */
export const RUN_READ_EVENT_BYTES = 1024 * 1024;
/** Bytes of events (as JSON) each run of a run list carries at most. */
export const RUN_LIST_EVENT_BYTES = 256 * 1024;

export interface OutputEvents {
  events: RunEvent[];
  /** Whether the log has more events than `events`. */
  truncated: boolean;
  /** Why, when `truncated`: the budget, or what kept the log from being read. */
  reason?: string;
}

/**
 * The run's events from its start, as many whole ones as fit in `maxBytes`. When the log cannot
 * be read now (no worker answers within the query deadline, as when a long closed run is replayed
 * under load; a segment of it is missing), the events read so far, cut: the output still answers,
 * and says why and where to read on.
 */
export async function readOutputEvents(client: Client, runId: string, maxBytes: number, store?: RunStore, stored?: StoredRun): Promise<OutputEvents> {
  const { texts } = engineData(client);
  const scope = textScope(client, runId);
  const events: RunEvent[] = [];
  let bytes = 0;
  const cut = (reason: string): OutputEvents => ({ events, truncated: true, reason });
  const overBudget = () => cut(`The events after event_index ${events.at(-1)?.event_index ?? -1} do not fit this answer's ${maxBytes.toLocaleString('en-US')}-byte budget for events: read them from the run's event stream after that index.`);
  try {
    for await (const page of readEventLog(client, runId, { mode: 'snapshot', keepReferences: true, store, stored })) {
      for (const stored of page) {
        if (bytes + minExpandedJsonLength(stored) > maxBytes) return overBudget();
        const event = await texts.expandAll(stored, scope);
        bytes += JSON.stringify(event).length;
        if (bytes > maxBytes) return overBudget();
        events.push(event);
      }
    }
  } catch (err) {
    return cut(`The run's log could not be read past event_index ${events.at(-1)?.event_index ?? -1}: ${(err as Error)?.message ?? String(err)}`);
  }
  return { events, truncated: false };
}
