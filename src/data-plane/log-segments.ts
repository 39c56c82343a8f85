/**
 * A run's event log, archived: before a run continues as new (and when a failed run is retried),
 * the events its execution holds are stored as segments, JSON arrays of about `SEGMENT_BYTES`,
 * under the run's prefix. The next execution carries only their references; the engine's event
 * reader reads them back.
 *
 * A segment's key names its range (`log_<first>-<last>`): a log only grows, so a range always
 * holds the same events, and archiving it again (a retried activity) rewrites the same bytes.
 */
import type { RunEvent } from '../contracts/events.ts';
import type { LogSegment } from '../contracts/plan.ts';
import { runPrefix } from './blob-keys.ts';
import type { BlobStore } from './blob-store.ts';

export const SEGMENT_BYTES = 1024 * 1024;

/**
 * An archived segment that cannot be read back: gone from the store, or holding other events. No
 * retry brings it back, so readers end with it instead of waiting (unlike a store that is down).
 */
export class LostLogSegmentError extends Error {
  readonly segment: LogSegment;

  constructor(segment: LogSegment, message: string) {
    super(message);
    this.name = 'LostLogSegmentError';
    this.segment = segment;
  }
}

export async function writeSegments(blobs: BlobStore, run: { namespace: string; workflowId: string }, events: RunEvent[], maxBytes = SEGMENT_BYTES): Promise<LogSegment[]> {
  const groups: string[][] = [];
  const ranges: [number, number][] = [];
  let size = 0;
  for (const event of events) {
    const json = JSON.stringify(event);
    if (groups.length === 0 || size + json.length > maxBytes) {
      groups.push([]);
      ranges.push([event.event_index, event.event_index]);
      size = 0;
    }
    groups.at(-1)!.push(json);
    ranges.at(-1)![1] = event.event_index;
    size += json.length + 1;
  }
  return Promise.all(
    groups.map(async (group, i) => {
      const [first, last] = ranges[i]!;
      const bytes = Buffer.from(`[${group.join(',')}]`, 'utf8');
      const key = `${runPrefix(run.namespace, run.workflowId)}log_${first}-${last}`;
      try {
        await blobs.put(key, bytes);
      } catch (err) {
        throw new Error(`Could not store events ${first}-${last} of run ${run.workflowId} (${bytes.byteLength.toLocaleString('en-US')} bytes) in the blob store (${blobs.location}): ${(err as Error).message}`, { cause: err });
      }
      return { key, first, last, bytes: bytes.byteLength };
    }),
  );
}

export async function readSegment(blobs: BlobStore, segment: LogSegment): Promise<RunEvent[]> {
  const bytes = await blobs.get(segment.key);
  if (!bytes) throw new LostLogSegmentError(segment, `Events ${segment.first}-${segment.last} of this run (${segment.key}) are missing from the blob store (${blobs.location}): the archived log segment was deleted, or this process uses another store than the one that wrote it.`);
  const events = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as RunEvent[];
  if (events[0]?.event_index !== segment.first || events.at(-1)?.event_index !== segment.last) {
    throw new LostLogSegmentError(segment, `The blob ${segment.key} in ${blobs.location} does not hold events ${segment.first}-${segment.last}.`);
  }
  return events;
}
