/**
 * The events a run's output carries (Agno's `WorkflowRunOutput.events`), read through the one
 * event reader in snapshot mode and cut at a byte budget: a run may have tens of thousands of
 * events (every content chunk is one), and a run list holds up to hundreds of runs. The events
 * kept are the log's first ones, whole; `truncated` says the log goes on, and a client reads the
 * rest from the run's event stream after the last one it got.
 */
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { readEventLog } from './event-reader.ts';

/** Bytes of events (as JSON) one run read carries at most: about one page of the log. */
export const RUN_READ_EVENT_BYTES = 1024 * 1024;
/** Bytes of events (as JSON) each run of a run list carries at most. */
export const RUN_LIST_EVENT_BYTES = 256 * 1024;

export interface OutputEvents {
  events: RunEvent[];
  /** Whether the log has more events than `events`. */
  truncated: boolean;
}

/**
 * The run's events from its start, as many whole ones as fit in `maxBytes`. When the log cannot
 * be read now (no worker answers within the query deadline, as when a long closed run is replayed
 * under load), the events read so far, cut: the output still answers, and says where to read on.
 */
export async function readOutputEvents(client: Client, runId: string, maxBytes: number): Promise<OutputEvents> {
  const events: RunEvent[] = [];
  let bytes = 0;
  try {
    for await (const page of readEventLog(client, runId, { mode: 'snapshot' })) {
      for (const event of page) {
        bytes += JSON.stringify(event).length;
        if (bytes > maxBytes) return { events, truncated: true };
        events.push(event);
      }
    }
  } catch {
    return { events, truncated: true };
  }
  return { events, truncated: false };
}
