/**
 * The activity that archives a run's event log before the run continues as new: the events the
 * execution holds go to the blob store as segments (see src/data-plane/log-segments.ts), and the
 * next execution carries only their references.
 */
import type { ArchiveEventsInput, ArchiveEventsResult } from '../contracts/activities.ts';
import { writeSegments } from '../data-plane/log-segments.ts';
import type { RunData } from './run-data.ts';
import { storeFailure } from './run-data.ts';

export function createArchiveEvents(deps: { data: RunData }) {
  return async function archiveEvents(input: ArchiveEventsInput): Promise<ArchiveEventsResult> {
    const run = deps.data.currentCall('log');
    try {
      return await writeSegments(deps.data.blobs, run, input.events);
    } catch (err) {
      throw storeFailure(err, {});
    }
  };
}
