/**
 * The rules every store applies to a batch of events before writing it, whatever the database:
 * indexes whole and contiguous, and the batch starting no further than right after the stored log.
 */
import type { RunEvent } from '../contracts/events.ts';
import { EventGapError } from './run-store.ts';

/** An event as stored: its index, its JSON (refs into the blob store included) and that JSON's size. */
export interface StoredEvent {
  index: number;
  body: string;
  bytes: number;
}

/**
 * The batch in index order, each index once. Throws on an index that is not a whole number, on
 * one index given twice with different content, and on a hole inside the batch: each is a writer's bug.
 */
export function orderedBatch(runId: string, events: readonly RunEvent[]): StoredEvent[] {
  const byIndex = new Map<number, StoredEvent>();
  for (const event of events) {
    const index = event.event_index;
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`Run ${runId}: event_index ${String(index)} is not an index (a whole number from 0).`);
    const body = JSON.stringify(event);
    const known = byIndex.get(index);
    if (known && known.body !== body) throw new Error(`Run ${runId}: the batch holds two different events at index ${index}.`);
    byIndex.set(index, { index, body, bytes: Buffer.byteLength(body) });
  }
  const ordered = [...byIndex.values()].sort((a, b) => a.index - b.index);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i]!.index !== ordered[i - 1]!.index + 1) throw new Error(`Run ${runId}: the batch skips from index ${ordered[i - 1]!.index} to ${ordered[i]!.index}.`);
  }
  return ordered;
}

/** Refuses a batch starting beyond the stored log's end: it would leave a hole. */
export function checkNoGap(runId: string, batch: readonly StoredEvent[], storedLast: number): void {
  const first = batch[0];
  if (first && first.index > storedLast + 1) throw new EventGapError(runId, first.index, storedLast);
}

/** Says, once per batch, that stored events differ from the ones written again: never silent, never a failed run. */
export function warnOfConflicts(runId: string, conflicts: readonly number[]): void {
  if (conflicts.length === 0) return;
  console.warn(`run store: run ${runId} wrote events ${conflicts.join(', ')} again with other content; the stored ones are kept.`);
}
