/** The blob key scheme and the tool output cap: pure functions, checked on awkward inputs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertValidKey } from '../../src/data-plane/blob-store.ts';
import { blobKey, parseRunKey, runPrefix } from '../../src/data-plane/blob-keys.ts';
import { dataPlaneConfigFromEnv, DEFAULT_MAX_BYTES, DEFAULT_THRESHOLD_BYTES } from '../../src/data-plane/config.ts';
import { DEFAULT_RESERVE_BYTES } from '../../src/data-plane/disk-room.ts';
import { truncateOutput } from '../../src/activities/tool-call.ts';
import { defineTool, Toolkit } from '../../src/definitions/tool.ts';

const DIGEST = 'ab'.repeat(32);

describe('blob keys', () => {
  it('put each run under a prefix of its own that names it, for any workflow id', () => {
    const ids = ['3f2c1d9e-7b1a-4c3e-9f00-1234567890ab', 'parent.step-two.1a2b3c4d', 'a/b', '..', 'ünïcode id with spaces', 'x'.repeat(1000)];
    for (const id of ids) {
      const key = blobKey({ kind: 'workflow', namespace: 'default', id }, DIGEST);
      assertValidKey(key);
      assert.ok(key.startsWith(runPrefix('default', id)));
      assert.deepEqual(parseRunKey(key), { namespace: 'default', workflowId: id, prefix: runPrefix('default', id) });
    }
    assert.equal(blobKey({ kind: 'workflow', namespace: 'default', id: 'run-1' }, DIGEST), `runs/default/run-1/${DIGEST}`);
  });

  it('keep payloads of no run apart, where gc does not look', () => {
    assert.equal(blobKey(undefined, DIGEST), `unscoped/${DIGEST}`);
    assert.equal(parseRunKey(`unscoped/${DIGEST}`), undefined);
  });
});

describe('data plane configuration', () => {
  it('defaults to local files under DATA_DIR with the documented sizes', () => {
    assert.deepEqual(dataPlaneConfigFromEnv({}), {
      store: 'local',
      directory: '.data/blobs',
      reserveBytes: DEFAULT_RESERVE_BYTES,
      thresholdBytes: DEFAULT_THRESHOLD_BYTES,
      maxBytes: DEFAULT_MAX_BYTES,
    });
    assert.equal(DEFAULT_RESERVE_BYTES, 64 * 1024 * 1024);
    assert.equal(dataPlaneConfigFromEnv({ DATA_DIR: '/var/lib/agents', BLOB_THRESHOLD_BYTES: '0' }).thresholdBytes, 0);
    assert.deepEqual(dataPlaneConfigFromEnv({ BLOB_LOCAL_RESERVE_BYTES: '0' }), { ...dataPlaneConfigFromEnv({}), reserveBytes: 0 });
  });

  it('refuses settings it cannot use, naming them', () => {
    assert.throws(() => dataPlaneConfigFromEnv({ BLOB_STORE: 'ftp' }), /BLOB_STORE=ftp/);
    assert.throws(() => dataPlaneConfigFromEnv({ BLOB_STORE: 's3' }), /BLOB_S3_BUCKET/);
    assert.throws(() => dataPlaneConfigFromEnv({ BLOB_MAX_BYTES: '2MB' }), /BLOB_MAX_BYTES=2MB/);
    assert.throws(() => dataPlaneConfigFromEnv({ BLOB_LOCAL_RESERVE_BYTES: '-1' }), /BLOB_LOCAL_RESERVE_BYTES=-1 is not a number of bytes/);
    assert.throws(() => dataPlaneConfigFromEnv({ BLOB_THRESHOLD_BYTES: String(3 * 1024 * 1024) }), /BLOB_THRESHOLD_BYTES=3145728 is over 1048576/);
  });

  it('uses path-style URLs with a custom endpoint (MinIO, moto) unless told otherwise', () => {
    const base = { BLOB_STORE: 's3', BLOB_S3_BUCKET: 'b' };
    const minio = dataPlaneConfigFromEnv({ ...base, BLOB_S3_ENDPOINT: 'http://minio:9000' });
    const aws = dataPlaneConfigFromEnv(base);
    assert.ok(minio.store === 's3' && minio.forcePathStyle === true);
    assert.ok(aws.store === 's3' && aws.forcePathStyle === false);
  });
});

describe('tool output cap', () => {
  it('counts UTF-8 bytes and never cuts inside a character', () => {
    const text = 'é'.repeat(10); // 20 bytes
    const { text: cut, truncated } = truncateOutput(text, 5);
    assert.equal(truncated, true);
    assert.equal(cut, 'éé\n[output cut at 5 of 20 bytes]');
    assert.equal(truncateOutput('😀😀', 5).text, '😀\n[output cut at 5 of 8 bytes]');
    assert.deepEqual(truncateOutput(text, 20), { text, truncated: false });
  });

  it('defaults to 1 MiB, with the sizes in the marker', () => {
    const { text } = truncateOutput('x'.repeat(10 * 1024 * 1024));
    assert.ok(text.endsWith('\n[output cut at 1,048,576 of 10,485,760 bytes]'));
    assert.equal(Buffer.byteLength(text) - Buffer.byteLength('\n[output cut at 1,048,576 of 10,485,760 bytes]'), 1024 * 1024);
  });

  it('is set per tool or per toolkit; a tool’s own cap wins', () => {
    const plain = defineTool({ name: 'plain', description: '', parameters: { type: 'object' }, execute: () => '' });
    const own = defineTool({ name: 'own', description: '', parameters: { type: 'object' }, execute: () => '', maxOutputBytes: 10 });
    const kit = new Toolkit('kit', [plain, own], { maxOutputBytes: 500 });
    assert.deepEqual(kit.tools.map((tool) => tool.maxOutputBytes), [500, 10]);
    assert.deepEqual(kit.withMaxOutputBytes(20_000_000).tools.map((tool) => tool.maxOutputBytes), [20_000_000, 20_000_000]);
    assert.throws(() => defineTool({ name: 'bad', description: '', parameters: { type: 'object' }, execute: () => '', maxOutputBytes: 0 }), /maxOutputBytes must be a positive integer/);
  });
});
