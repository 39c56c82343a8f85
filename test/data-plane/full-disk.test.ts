/**
 * The local blob store on a full disk, on real file systems: a write that would leave less than
 * the reserve free is refused before a byte is written (a 3 MiB tmpfs), the kernel's own ENOSPC
 * is said plainly (a tmpfs out of inodes), and a write that fails mid-way (the kernel's file size
 * limit, in a child process) removes its temporary file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../src/data-plane/local-blob-store.ts';
import { freeBytes, mountSmallDisk, temporaryFilesUnder } from './support/small-disk.ts';
import type { SmallDisk } from './support/small-disk.ts';

const MiB = 1024 * 1024;
const run = promisify(execFile);

describe('the local blob store on a 3 MiB disk with a 1 MiB reserve', () => {
  let disk: SmallDisk;
  before(async () => {
    disk = await mountSmallDisk('full-disk', 3 * MiB);
  });
  after(async () => {
    await disk?.unmount();
  });

  it('refuses a write that would eat into the reserve, saying so, and writes nothing', async () => {
    const store = new LocalBlobStore(disk.path, { reserveBytes: MiB });
    const free = await freeBytes(disk.path);
    await assert.rejects(store.put('runs/ns/run-1/big', Buffer.alloc(2.5 * MiB, 'b')), (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, 'ENOSPC');
      assert.equal(
        err.message,
        `no space left for 2,621,440 bytes in ${disk.path}: 3,145,728 bytes free on its disk, of which 1,048,576 bytes are kept free (BLOB_LOCAL_RESERVE_BYTES) so that what shares the disk, such as Temporal's history, can still write.`,
      );
      return true;
    });
    assert.equal(await freeBytes(disk.path), free, 'not a byte was written');
    assert.deepEqual(await temporaryFilesUnder(disk.path), []);
    assert.equal(await store.get('runs/ns/run-1/big'), undefined);

    // What fits beside the reserve is stored as ever.
    await store.put('runs/ns/run-1/small', Buffer.alloc(1.5 * MiB, 's'));
    assert.equal((await store.get('runs/ns/run-1/small'))?.byteLength, 1.5 * MiB);
  });

  it('counts the writes in flight: two that fit one at a time but not together do not both start', async () => {
    const store = new LocalBlobStore(disk.path, { reserveBytes: 0 });
    await store.delete('runs/ns/run-1/small');
    const results = await Promise.allSettled([store.put('runs/ns/run-2/a', Buffer.alloc(2 * MiB, 'a')), store.put('runs/ns/run-2/b', Buffer.alloc(2 * MiB, 'b'))]);
    assert.deepEqual(results.map((result) => result.status).sort(), ['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    assert.match((refused?.reason as Error).message, /^no space left for 2,097,152 bytes in /);
    assert.deepEqual(await temporaryFilesUnder(disk.path), []);
  });
});

describe('the local blob store on a disk with no room for one more file', () => {
  it('says "no space left" for the kernel\'s ENOSPC, naming the size and the file, and leaves no file', async () => {
    // Room for the root and the blob's three directories, not for its temporary file.
    const disk = await mountSmallDisk('no-inodes', 3 * MiB, { inodes: 4 });
    try {
      const store = new LocalBlobStore(disk.path, { reserveBytes: 0 });
      await assert.rejects(store.put('runs/ns/run-1/blob', Buffer.alloc(1000)), (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, 'ENOSPC');
        assert.match(err.message, new RegExp(`^no space left for 1,000 bytes in ${disk.path} \\(ENOSPC: no space left on device, open '${disk.path}/runs/ns/run-1/\\.[0-9a-f]{12}\\.tmp'\\)\\.$`));
        return true;
      });
      assert.deepEqual(await readdir(join(disk.path, 'runs/ns/run-1')), []);
    } finally {
      await disk.unmount();
    }
  });
});

describe('a local write that fails mid-way', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'failed-write-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('removes its temporary file: a 2 MiB put under a 1 MiB file size limit fails and leaves nothing', async () => {
    // The kernel refuses writes past RLIMIT_FSIZE with EFBIG once SIGXFSZ is ignored: a real
    // failure after the first megabyte is on disk, the same moment a disk filling up fails.
    const store = pathToFileURL(join(import.meta.dirname, '../../src/data-plane/local-blob-store.ts')).href;
    const script = `
      import { LocalBlobStore } from ${JSON.stringify(store)};
      const store = new LocalBlobStore(${JSON.stringify(root)}, { reserveBytes: 0 });
      try {
        await store.put('runs/ns/run-1/big', Buffer.alloc(2 * 1024 * 1024, 'x'));
        console.log(JSON.stringify({ stored: true }));
      } catch (err) {
        console.log(JSON.stringify({ code: err.code, message: err.message }));
      }`;
    const { stdout } = await run('bash', ['-c', `trap '' XFSZ; ulimit -f 1024; exec "${process.execPath}" --input-type=module -e "$0"`, script], { timeout: 30_000 });
    const outcome = JSON.parse(stdout) as { stored?: boolean; code?: string; message?: string };
    assert.equal(outcome.code, 'EFBIG', stdout);
    assert.deepEqual(await readdir(join(root, 'runs/ns/run-1')), [], 'no temporary file is left');
  });
});
