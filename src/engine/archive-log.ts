/**
 * A run's whole log as a retry carries it: the segments earlier executions archived, by
 * reference, plus what the failed execution holds, archived now by the engine. So a retry's input
 * stays small however long the run's log is (see docs/adr/0006-bytes-beside-the-run.md).
 */
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import { isEndOfLog } from '../contracts/events.ts';
import type { CarriedLog, LogSegment } from '../contracts/plan.ts';
import { writeSegments } from '../data-plane/log-segments.ts';
import { engineData } from './engine-data.ts';
import { endingEvent, executionEnd } from './execution-end.ts';
import { MAX_EVENT_PAGE_BYTES } from '../contracts/run-workflow-api.ts';
import { fetchLogPage } from './log-pages.ts';
import { CLOSED_RUN_QUERY_DEADLINE_MS } from './query-run.ts';

export interface ArchivedLog {
  log: CarriedLog;
  /** How many times the run started (its first start and each retry). */
  starts: number;
}

export interface ArchiveLogOptions {
  /** The Temporal execution of the run whose log to archive; default its newest. */
  execution?: string;
  /**
   * Whether a log without a terminal event gets the one every reader makes for a run ended
   * outside our code (default true). The execution an operator reset gets none: the run goes on.
   */
  withEnding?: boolean;
}

/** Archives the log of a run that has ended (its newest execution, or `options.execution`, is closed). */
export async function archiveLog(client: Client, runId: string, options: ArchiveLogOptions = {}): Promise<ArchivedLog> {
  const segments: LogSegment[] = [];
  const held: RunEvent[] = [];
  let starts = 0;
  let after = -1;
  let newest: RunEvent | undefined;
  for (;;) {
    const page = await fetchLogPage(client, runId, after, { deadlineMs: CLOSED_RUN_QUERY_DEADLINE_MS, execution: options.execution, maxBytes: MAX_EVENT_PAGE_BYTES });
    for (const segment of page.segments) if (!segments.some((known) => known.key === segment.key)) segments.push(segment);
    if (page.segments.length === 0) held.push(...page.events);
    starts += page.events.filter((event) => event.event === 'WorkflowStarted').length;
    if (page.events.length > 0) {
      newest = page.events.at(-1)!;
      after = newest.event_index;
    }
    if (page.events.length === 0 || after >= page.lastIndex) break;
  }
  // A run ended outside our code: its log ends with the terminal event every reader makes for it.
  const end = isEndOfLog(newest) || options.withEnding === false ? undefined : await executionEnd(client, runId);
  const last = end && endingEvent(runId, end, after + 1);
  if (last) held.push(last);
  const written = held.length > 0 ? await writeSegments(engineData(client).blobs, { namespace: client.options.namespace, workflowId: runId }, held) : [];
  return { log: { segments: [...segments, ...written], next: (held.at(-1)?.event_index ?? after) + 1 }, starts };
}
