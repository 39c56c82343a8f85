/**
 * A small real file system for full-disk tests: a tmpfs of a given size, mounted on a fresh
 * directory (mounting needs root, which the test machines are). No fake: the kernel answers
 * ENOSPC when it is full, and statfs reports its free space.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BlobStoreUnderTest } from './blob-stores.ts';

const run = promisify(execFile);

export interface SmallDisk {
  path: string;
  unmount(): Promise<void>;
}

/** `inodes`: how many files and directories the disk holds, its root included (default: plenty). */
export async function mountSmallDisk(label: string, bytes: number, options: { inodes?: number } = {}): Promise<SmallDisk> {
  const path = await mkdtemp(join(tmpdir(), `${label}-`));
  const limits = [`size=${bytes}`, ...(options.inodes ? [`nr_inodes=${options.inodes}`] : [])].join(',');
  try {
    await run('mount', ['-t', 'tmpfs', '-o', limits, 'tmpfs', path], { timeout: 10_000 });
  } catch (err) {
    await rm(path, { recursive: true, force: true });
    throw new Error(`Could not mount a ${bytes}-byte tmpfs on ${path} (full-disk tests need root): ${(err as Error).message}`);
  }
  return {
    path,
    async unmount() {
      // Lazily: a process that still holds a file there (a server stopping) does not block it.
      await run('umount', ['--lazy', path], { timeout: 10_000 });
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** Bytes an unprivileged writer may still use on the disk holding `path`. */
export async function freeBytes(path: string): Promise<number> {
  const disk = await statfs(path);
  return disk.bavail * disk.bsize;
}

/** Every temporary file of the local blob store under `path` (`.<hex>.tmp`). */
export async function temporaryFilesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.tmp')).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The local store as `npm start` runs it, on a small disk: DATA_DIR and the Temporal dev server's
 * SQLite history share one tmpfs of `bytes`, the store keeping `reserveBytes` free.
 */
export function smallDiskStore(label: string, bytes: number, reserveBytes: number): BlobStoreUnderTest {
  return {
    name: `local, on a ${bytes.toLocaleString('en-US')}-byte disk shared with Temporal's history`,
    async start() {
      const disk = await mountSmallDisk(label, bytes);
      return {
        env: { BLOB_STORE: 'local', DATA_DIR: join(disk.path, 'data'), BLOB_LOCAL_RESERVE_BYTES: String(reserveBytes) },
        harness: { temporal: { dbFile: join(disk.path, 'temporal.db') } },
        stop: () => disk.unmount(),
      };
    },
  };
}
