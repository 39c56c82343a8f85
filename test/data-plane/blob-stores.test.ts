/**
 * Both blob store drivers against what they stand on: local files in a temporary directory, and a
 * real S3-protocol server (moto). The same cases for each: round trips up to 10 MB, listing by
 * prefix, deletes, missing keys, and keys no driver accepts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BlobInfo, BlobStore } from '../../src/data-plane/blob-store.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { LocalBlobStore } from '../../src/data-plane/local-blob-store.ts';
import { startS3Server } from '../support/s3-server.ts';
import type { S3Server } from '../support/s3-server.ts';
import { withDeadline } from '../support/wait.ts';

async function blobs(store: BlobStore, prefix: string): Promise<BlobInfo[]> {
  const found: BlobInfo[] = [];
  for await (const blob of store.list(prefix)) found.push(blob);
  return found;
}

async function keys(store: BlobStore, prefix: string): Promise<string[]> {
  return (await blobs(store, prefix)).map((blob) => blob.key).sort();
}

function storeCases(name: string, open: () => Promise<BlobStore>) {
  describe(`${name} blob store`, () => {
    let store: BlobStore;
    before(async () => {
      store = await open();
    });

    it('stores and loads 10 MB, byte for byte', async () => {
      const bytes = randomBytes(10 * 1024 * 1024);
      await withDeadline('put 10 MB', store.put('runs/ns/big/blob', bytes));
      const loaded = await withDeadline('get 10 MB', store.get('runs/ns/big/blob'));
      assert.ok(loaded && Buffer.from(loaded).equals(bytes), 'the same bytes come back');
      const [info] = await blobs(store, 'runs/ns/big/');
      assert.equal(info?.size, bytes.byteLength);
      assert.ok(info && Math.abs(info.lastModified.getTime() - Date.now()) < 60_000, `lastModified ${info.lastModified.toISOString()}`);
    });

    it('replaces a blob whole and answers undefined for a missing one', async () => {
      await store.put('runs/ns/run-a/x', Buffer.from('first'));
      await store.put('runs/ns/run-a/x', Buffer.from('second'));
      assert.equal(Buffer.from((await store.get('runs/ns/run-a/x'))!).toString(), 'second');
      assert.equal(await store.get('runs/ns/run-a/none'), undefined);
    });

    it('lists by prefix, also a prefix that ends inside a segment', async () => {
      for (const key of ['runs/ns/run-1/a', 'runs/ns/run-1/b', 'runs/ns/run-12/c', 'runs/other/run-1/d']) await store.put(key, Buffer.from(key));
      assert.deepEqual(await keys(store, 'runs/ns/run-1/'), ['runs/ns/run-1/a', 'runs/ns/run-1/b']);
      assert.deepEqual(await keys(store, 'runs/ns/run-1'), ['runs/ns/run-1/a', 'runs/ns/run-1/b', 'runs/ns/run-12/c']);
      assert.deepEqual(await keys(store, 'nothing/here/'), []);
    });

    it('deletes, and deleting twice is fine', async () => {
      await store.put('runs/ns/gone/a', Buffer.from('a'));
      await store.delete('runs/ns/gone/a');
      await store.delete('runs/ns/gone/a');
      assert.equal(await store.get('runs/ns/gone/a'), undefined);
      assert.deepEqual(await keys(store, 'runs/ns/gone/'), []);
    });

    it('rejects keys that are not safe paths', async () => {
      for (const key of ['../escape', 'runs//x', 'runs/.hidden', 'a\\b', `runs/${'x'.repeat(256)}`]) {
        await assert.rejects(store.put(key, Buffer.from('x')), /Invalid blob key/, key);
      }
    });
  });
}

let directory: string;
storeCases('local', async () => {
  directory = await mkdtemp(join(tmpdir(), 'blobs-'));
  return new LocalBlobStore(directory);
});
after(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('local blob store on disk', () => {
  it('leaves no temporary files and no empty directories behind', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blobs-'));
    try {
      const store = new LocalBlobStore(root);
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('runs/ns/same/key', Buffer.from(`writer ${i}`))));
      assert.match(Buffer.from((await store.get('runs/ns/same/key'))!).toString(), /^writer \d+$/);
      assert.deepEqual(await readdir(join(root, 'runs/ns/same')), ['key']);
      await store.delete('runs/ns/same/key');
      assert.deepEqual(await readdir(root), []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

let s3: S3Server | undefined;
storeCases('S3 (moto)', async () => {
  s3 = await withDeadline('starting moto', startS3Server(), 60_000);
  const env = await s3.bucket('round-trips');
  return openBlobStore(dataPlaneConfigFromEnv({ ...env, BLOB_S3_PREFIX: 'tenant-a' }));
});
after(async () => {
  await s3?.stop();
});
