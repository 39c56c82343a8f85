/**
 * One page of a run's event log as stored: what the `eventPage` query answers from the
 * execution's memory, or, for events an earlier execution archived (continue-as-new, retry), the
 * segments read from the blob store. Texts stay references here; readers replace them.
 */
import type { Client } from '@temporalio/client';
import type { RunEvent } from '../contracts/events.ts';
import type { LogSegment } from '../contracts/plan.ts';
import { eventPageQuery } from '../contracts/run-workflow-api.ts';
import { readSegment } from '../data-plane/log-segments.ts';
import { engineData } from './engine-data.ts';
import { withQueryDeadline } from './query-run.ts';

/** Segments read per page: about 4 MB of events. */
const SEGMENTS_PER_PAGE = 4;

export interface LogPage {
  /** Events with `event_index > after`, in order, with no gap. */
  events: RunEvent[];
  /** Index of the newest event of the log. */
  lastIndex: number;
  /** The archived segments the events came from (none when they came from the execution's memory). */
  segments: LogSegment[];
}

export interface LogPageOptions {
  /** Give up when no worker answers within this many ms (for callers answering a request now), instead of waiting for one. */
  deadlineMs?: number;
  /** The log as this Temporal execution of the run holds it; default its newest. */
  execution?: string;
  /**
   * The largest page wanted: a reader of the whole log asks for big pages, since each query on a
   * closed run replays its history; a follower keeps the default, to pass on events sooner.
   */
  maxBytes?: number;
}

/** The events after `after`. */
export async function fetchLogPage(client: Client, runId: string, after: number, options: LogPageOptions = {}): Promise<LogPage> {
  const { deadlineMs, execution, maxBytes } = options;
  const ask = () => client.workflow.getHandle(runId, execution).query(eventPageQuery, after, maxBytes);
  const page = deadlineMs === undefined ? await ask() : await withQueryDeadline(client, ask, deadlineMs);
  if (page.archived.length === 0) return { events: page.events, lastIndex: page.lastIndex, segments: [] };
  const segments = page.archived.slice(0, SEGMENTS_PER_PAGE);
  const { blobs } = engineData(client);
  const stored = await Promise.all(segments.map((segment) => readSegment(blobs, segment)));
  return { events: stored.flat().filter((event) => event.event_index > after), lastIndex: page.lastIndex, segments };
}
