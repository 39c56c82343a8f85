/**
 * Room on the disk of the local blob store: a write goes ahead only if it leaves at least the
 * reserve free (BLOB_LOCAL_RESERVE_BYTES).
 *
 * The store rarely has its disk to itself. Under `npm start` the Temporal dev server keeps its
 * SQLite history in the same `DATA_DIR`: a blob that fills the disk leaves Temporal unable to
 * record anything, not even that the write failed, and the run hangs with its activity neither
 * done nor failed. Refused before a byte is written, the write fails at once with a clear error
 * and Temporal still has room to record that failure.
 *
 * What a refused write does to a run depends on who writes. An activity's write (a model reply, a
 * tool output, a step result, an archive) fails its call non-retryably (run-data.ts,
 * activity-result-guard.ts): another attempt would call the model or tool again, only to be
 * refused again. The worker's own claim-check writes during a workflow task fail that task, which
 * Temporal retries with backoff: it calls nothing again, and the run goes on once space is freed.
 */
import { statfs } from 'node:fs/promises';

/**
 * 64 MiB: recording a failure, and finishing the runs in flight, takes Temporal's history a few
 * KB per event, and SQLite's journal a few MB at most between checkpoints; 64 MiB leaves that
 * many times over, and is nothing on a disk meant to hold runs. A fixed size, not a share of the
 * disk: what history needs does not grow with the disk (1% of 1 TB would keep 10 GB idle, 1% of a
 * small volume too little).
 */
export const DEFAULT_RESERVE_BYTES = 64 * 1024 * 1024;
export const RESERVE_SETTING = 'BLOB_LOCAL_RESERVE_BYTES';

/** A write refused, or failed, for want of space: `code` is `ENOSPC` like the system's own. */
export class NoSpaceLeftError extends Error {
  readonly code = 'ENOSPC';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NoSpaceLeftError';
  }
}

export class DiskRoom {
  readonly reserveBytes: number;
  /** Bytes this process is writing now: free space statfs reports does not count them yet. */
  private writing = 0;

  constructor(reserveBytes: number) {
    this.reserveBytes = reserveBytes;
  }

  /**
   * Claims room for `bytes` on the disk holding `path`, or throws `NoSpaceLeftError` naming the
   * sizes. Call the returned function once the write is over, whatever its outcome.
   */
  async claim(path: string, bytes: number): Promise<() => void> {
    const disk = await statfs(path, { bigint: true });
    // What an unprivileged writer may use (root may dig into the file system's own reserve).
    const free = Number(disk.bavail * disk.bsize);
    const left = free - this.writing - bytes;
    if (left < this.reserveBytes) {
      throw new NoSpaceLeftError(
        `no space left for ${formatBytes(bytes)} in ${path}: ${formatBytes(Math.max(0, free - this.writing))} free on its disk, ` +
          `of which ${formatBytes(this.reserveBytes)} are kept free (${RESERVE_SETTING}) so that what shares the disk, such as Temporal's history, can still write.`,
      );
    }
    this.writing += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.writing -= bytes;
    };
  }
}

export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
