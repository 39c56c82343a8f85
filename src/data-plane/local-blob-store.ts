/**
 * Blobs as files under one directory (`$DATA_DIR/blobs` by default): nothing to install, right for
 * one machine (`npm start`) or for processes sharing a file system.
 *
 * A blob is written to a temporary file in the same directory, flushed to disk, then renamed over
 * its key: a reader or a crash never sees half a blob. Temporary files start with `.`, which no
 * key segment does, so listings skip them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { assertValidKey } from './blob-store.ts';
import type { BlobInfo, BlobStore } from './blob-store.ts';

export class LocalBlobStore implements BlobStore {
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = `local files in ${root}`;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
    // A concurrent delete may remove the (then empty) directory between mkdir and open: try twice.
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(path), { recursive: true });
      try {
        const file = await open(temporary, 'wx');
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        break;
      } catch (err) {
        if (attempt === 1 && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
    }
    try {
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
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

  private path(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }
}
