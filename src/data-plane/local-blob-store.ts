/**
 * Blobs as files under one directory (`$DATA_DIR/blobs` by default): nothing to install, right for
 * one machine (`npm start`) or for processes sharing a file system.
 *
 * A blob is written to a temporary file in the same directory, flushed to disk, then renamed over
 * its key: a reader or a crash never sees half a blob. A write that fails, for whatever reason,
 * removes its temporary file: a disk that filled up is free again at once. Only a process that
 * dies mid-write leaves one, which `npm run blobs -- gc` removes (see `removeAbandonedWrites`).
 * Temporary files start with `.`, which no key segment does, so listings skip them.
 *
 * A write that would leave less than the reserve free on the disk is refused before it starts
 * (see disk-room.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { assertValidKey } from './blob-store.ts';
import type { AbandonedWrites, BlobInfo, BlobStore } from './blob-store.ts';
import { DEFAULT_RESERVE_BYTES, DiskRoom, formatBytes, NoSpaceLeftError } from './disk-room.ts';

/** A fresh temporary file name (`.` + 12 hex digits + `.tmp`), and the pattern gc finds them by. */
const temporaryName = () => `.${randomBytes(6).toString('hex')}.tmp`;
const TEMPORARY = /^\.[0-9a-f]{12}\.tmp$/;

export interface LocalBlobStoreOptions {
  /** Free space a write must leave on the disk; default 64 MiB (BLOB_LOCAL_RESERVE_BYTES). */
  reserveBytes?: number;
}

export class LocalBlobStore implements BlobStore {
  readonly root: string;
  readonly location: string;

  private readonly room: DiskRoom;

  constructor(root: string, options: LocalBlobStoreOptions = {}) {
    this.root = resolve(root);
    this.location = `local files in ${root}`;
    this.room = new DiskRoom(options.reserveBytes ?? DEFAULT_RESERVE_BYTES);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    const temporary = join(dirname(path), temporaryName());
    await mkdir(this.root, { recursive: true });
    const release = await this.room.claim(this.root, bytes.byteLength);
    try {
      await this.write(temporary, bytes);
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw this.writeFailure(err, bytes.byteLength);
    } finally {
      release();
    }
  }

  /** The bytes in a new file, flushed to disk. */
  private async write(temporary: string, bytes: Uint8Array): Promise<void> {
    const file = await this.create(temporary);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** The temporary file, opened for writing, with its directory made first. */
  private async create(temporary: string): Promise<FileHandle> {
    // A concurrent delete may remove the (then empty) directory between mkdir and open: try twice.
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(temporary), { recursive: true });
      try {
        return await open(temporary, 'wx');
      } catch (err) {
        if (attempt === 1 && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
    }
  }

  /** A full disk said plainly (the system's message names neither the file nor the size). */
  private writeFailure(err: unknown, bytes: number): unknown {
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof NoSpaceLeftError || (code !== 'ENOSPC' && code !== 'EDQUOT')) return err;
    return new NoSpaceLeftError(`no space left for ${formatBytes(bytes)} in ${this.root} (${(err as Error).message}).`, { cause: err });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.path(key);
    await rm(path, { force: true });
    // Empty directories of deleted runs would pile up: remove them up to the root.
    for (let dir = dirname(path); dir !== this.root && dir.startsWith(this.root + sep); dir = dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    // Start at the deepest directory the prefix names; the rest of the prefix filters names.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = join(this.root, base);
    let entries;
    try {
      entries = await readdir(start, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const path = join(entry.parentPath, entry.name);
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      try {
        const info = await stat(path);
        yield { key, size: info.size, lastModified: info.mtime };
      } catch (err) {
        // Deleted since the directory was read.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  async checkReady(): Promise<string> {
    // Its folder exists (a fresh store makes it, as its first write would) and this process may read and write there.
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.R_OK | constants.W_OK);
    return 'local files';
  }

  /**
   * Deletes the temporary files of writes that died mid-way (the process killed, the machine
   * lost), untouched since `olderThan`; counts them only when `dryRun`.
   */
  async removeAbandonedWrites(olderThan: Date, dryRun = false): Promise<AbandonedWrites> {
    const found: AbandonedWrites = { files: 0, bytes: 0, paths: [] };
    let entries;
    try {
      entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return found;
      throw err;
    }
    for (const entry of entries) {
      if (!entry.isFile() || !TEMPORARY.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      try {
        const info = await stat(path);
        if (info.mtime > olderThan) continue;
        if (!dryRun) await rm(path);
        found.files++;
        found.bytes += info.size;
        found.paths.push(path);
      } catch (err) {
        // Renamed or removed since the directory was read: its write was alive after all.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return found;
  }

  private path(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }
}
