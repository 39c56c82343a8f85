/**
 * Deletes the blobs of runs Temporal no longer has. Temporal drops a closed run after the
 * namespace's retention period; its history, and so every claim naming its blobs, goes with it.
 * Blobs are grouped by run (see blob-keys.ts) and a run's blobs go once Temporal answers "not
 * found" for its workflow id, unless the run store still holds the run: reads come from there
 * after Temporal has dropped a run, and its record names the run's big texts by their blobs.
 *
 * Blobs younger than `minAgeMs` are kept whatever Temporal says: a client stores a big input
 * just before it starts the run that will own it.
 *
 * It also deletes the temporary files of writes that died mid-way (stores that write through
 * them: local files), which no run owns and no listing shows.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import { namespacePrefix, parseRunKey } from './blob-keys.ts';
import type { BlobInfo, BlobStore } from './blob-store.ts';
import type { RunStore } from '../run-store/run-store.ts';

export const DEFAULT_MIN_AGE_MS = 60 * 60 * 1000;
/**
 * A temporary file untouched for this long belongs to no live write, whatever `minAgeMs` says: a
 * write touches its file with every chunk and renames it as soon as the bytes are flushed, which
 * takes seconds even for the largest blob (BLOB_MAX_BYTES) on a slow disk. An hour leaves room
 * for a process stopped mid-write (a debugger, a suspended machine) without keeping the bytes of
 * a dead one for long.
 */
export const ABANDONED_WRITE_AGE_MS = 60 * 60 * 1000;

export interface GarbageCollectionOptions {
  blobs: BlobStore;
  /** A client of the namespace whose runs' blobs are collected. */
  client: Client;
  /** The run store the APIs read: the blobs of a run it holds are kept. None: Temporal alone decides. */
  runStore?: Pick<RunStore, 'getRun'>;
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Keep blobs younger than this (ms); default one hour. */
  minAgeMs?: number;
  log?: (line: string) => void;
}

export interface GarbageCollectionReport {
  runs: number;
  /** Runs Temporal no longer has. */
  goneRuns: number;
  deletedBlobs: number;
  deletedBytes: number;
  /** Blobs of gone runs kept for being younger than `minAgeMs`. */
  youngBlobs: number;
  /** Runs Temporal no longer has that the run store holds (kept: their reads name these blobs). */
  storedRuns: number;
  /** Runs whose existence could not be checked (kept). */
  uncheckedRuns: number;
  /** Temporary files of writes that died mid-way, deleted. */
  abandonedWrites: number;
  abandonedBytes: number;
}

interface RunBlobs {
  workflowId: string;
  blobs: BlobInfo[];
}

export async function collectGarbage(options: GarbageCollectionOptions): Promise<GarbageCollectionReport> {
  const { blobs, client, dryRun = false, minAgeMs = DEFAULT_MIN_AGE_MS } = options;
  const log = options.log ?? (() => {});
  const namespace = client.options.namespace;
  const runs = await blobsByRun(blobs, namespace);
  const report: GarbageCollectionReport = { runs: runs.size, goneRuns: 0, deletedBlobs: 0, deletedBytes: 0, youngBlobs: 0, storedRuns: 0, uncheckedRuns: 0, abandonedWrites: 0, abandonedBytes: 0 };
  log(`${runs.size} runs of namespace ${namespace} have blobs in ${blobs.location}${dryRun ? ' (dry run: nothing is deleted)' : ''}`);
  const abandoned = await blobs.removeAbandonedWrites?.(new Date(Date.now() - ABANDONED_WRITE_AGE_MS), dryRun);
  if (abandoned && abandoned.files > 0) {
    report.abandonedWrites = abandoned.files;
    report.abandonedBytes = abandoned.bytes;
    log(`${dryRun ? 'would delete' : 'deleted'} ${abandoned.files} temporary files of writes that died mid-way, ${abandoned.bytes.toLocaleString('en-US')} bytes: ${abandoned.paths.join(', ')}`);
  }
  const oldest = Date.now() - minAgeMs;
  let checked = 0;
  for (const { workflowId, blobs: runBlobs } of runs.values()) {
    checked++;
    const exists = await runExists(client, workflowId).catch((err: unknown) => {
      report.uncheckedRuns++;
      log(`kept    ${workflowId}: could not ask Temporal about it (${(err as Error).message})`);
      return true;
    });
    if (!exists && (await storeHolds(options.runStore, workflowId, report, log))) {
      report.storedRuns++;
      log(`kept    ${workflowId}: the run store holds it`);
    } else if (!exists) {
      report.goneRuns++;
      const old = runBlobs.filter((blob) => blob.lastModified.getTime() <= oldest);
      report.youngBlobs += runBlobs.length - old.length;
      const bytes = old.reduce((sum, blob) => sum + blob.size, 0);
      if (!dryRun) for (const blob of old) await blobs.delete(blob.key);
      report.deletedBlobs += old.length;
      report.deletedBytes += bytes;
      const young = runBlobs.length - old.length;
      log(`${dryRun ? 'would delete' : 'deleted'} ${workflowId}: ${old.length} blobs, ${bytes.toLocaleString('en-US')} bytes${young ? ` (${young} younger blobs kept)` : ''}`);
    }
    if (checked % 100 === 0) log(`checked ${checked} of ${runs.size} runs`);
  }
  log(
    `${dryRun ? 'would delete' : 'deleted'} ${report.deletedBlobs} blobs (${report.deletedBytes.toLocaleString('en-US')} bytes) of ${report.goneRuns} runs Temporal no longer has; ` +
      `${runs.size - report.goneRuns} runs kept${report.storedRuns ? ` (${report.storedRuns} of them for the run store)` : ''}`,
  );
  return report;
}

async function blobsByRun(blobs: BlobStore, namespace: string): Promise<Map<string, RunBlobs>> {
  const runs = new Map<string, RunBlobs>();
  for await (const blob of blobs.list(namespacePrefix(namespace))) {
    const run = parseRunKey(blob.key);
    if (!run) continue;
    let entry = runs.get(run.prefix);
    if (!entry) runs.set(run.prefix, (entry = { workflowId: run.workflowId, blobs: [] }));
    entry.blobs.push(blob);
  }
  return runs;
}

/** Whether Temporal still has any execution of this workflow id (the latest one is described). */
async function runExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Whether the run store holds the run; a store that cannot answer holds it (nothing is deleted on a guess). */
async function storeHolds(store: Pick<RunStore, 'getRun'> | undefined, runId: string, report: GarbageCollectionReport, log: (line: string) => void): Promise<boolean> {
  if (!store) return false;
  try {
    return (await store.getRun(runId)) !== undefined;
  } catch (err) {
    report.uncheckedRuns++;
    log(`kept    ${runId}: could not ask the run store about it (${(err as Error).message})`);
    return true;
  }
}
