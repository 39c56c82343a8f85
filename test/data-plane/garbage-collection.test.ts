/**
 * Blob garbage collection against a real Temporal dev server and both blob stores: the blobs of a
 * run Temporal deleted go, those of live runs, of runs the run store holds, young blobs and blobs
 * of no run stay; a dry run deletes nothing. The runs' blobs are written by the real claim-check (big start inputs).
 * `npm run blobs -- gc` also deletes the local store's temporary files of writes that died
 * mid-way, and only those untouched for an hour.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import type { BlobStore } from '../../src/data-plane/blob-store.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { createDataConverter } from '../../src/data-plane/data-converter.ts';
import { collectGarbage } from '../../src/data-plane/garbage-collection.ts';
import { startDevServer } from '../../src/dev-server/temporal-cli.ts';
import { openRunStore } from '../../src/run-store/config.ts';
import { runRecord } from '../run-store/support/records.ts';
import type { DevServer } from '../../src/dev-server/temporal-cli.ts';
import { ENTRYPOINT } from '../support/processes.ts';
import { startS3Server } from '../support/s3-server.ts';
import type { S3Server } from '../support/s3-server.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

let temporal: DevServer;
let connection: Connection;
let scratch: string;
let s3: S3Server | undefined;

before(async () => {
  temporal = await withDeadline('starting Temporal', startDevServer(), 60_000);
  connection = await Connection.connect({ address: temporal.address });
  scratch = await mkdtemp(join(tmpdir(), 'blob-gc-'));
});
after(async () => {
  await connection?.close();
  await temporal?.stop();
  await s3?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function keysUnder(blobs: BlobStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const blob of blobs.list(prefix)) keys.push(blob.key);
  return keys;
}

const stores: { name: string; env(): Promise<NodeJS.ProcessEnv> }[] = [
  { name: 'local', env: async () => ({ BLOB_STORE: 'local', DATA_DIR: scratch }) },
  {
    name: 'S3 (moto)',
    async env() {
      s3 = await withDeadline('starting moto', startS3Server(), 60_000);
      return s3.bucket('blob-gc');
    },
  },
];

for (const store of stores) {
  describe(`blob gc on the ${store.name} store`, () => {
    it('deletes the blobs of deleted runs only, and only when told to', async () => {
      const dataPlane = dataPlaneConfigFromEnv(await store.env());
      const blobs = openBlobStore(dataPlane);
      const client = new Client({ connection, namespace: 'default', dataConverter: createDataConverter(dataPlane) });
      // No worker: the runs just exist. Their inputs are over the threshold, so the client stores them as blobs.
      const [kept, dropped, recorded] = [randomUUID(), randomUUID(), randomUUID()];
      for (const [id, fill] of [[kept, 'k'], [dropped, 'd'], [recorded, 'r']] as const) {
        await client.workflow.start('NoSuchWorkflowType', { workflowId: id, taskQueue: `gc-${randomUUID()}`, args: [fill.repeat(200_000)] });
      }
      await blobs.put(`unscoped/${'0'.repeat(64)}`, Buffer.from('no run owns this'));
      for (const id of [kept, dropped, recorded]) assert.equal((await keysUnder(blobs, runPrefix('default', id))).length, 1);
      // The run store still holds one of the runs Temporal drops: its reads name its blobs.
      const runStore = await openRunStore({ store: 'sqlite', path: join(scratch, `${randomUUID()}.sqlite`) });
      await runStore.putRun(runRecord(recorded, { status: 'COMPLETED' }));

      // What retention does to a closed run: Temporal deletes it, history and claims with it.
      for (const id of [dropped, recorded]) {
        await client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: id } });
        await waitUntil('the run to be deleted', () => client.workflow.getHandle(id).describe().then(() => false, (err) => err instanceof WorkflowNotFoundError));
      }

      const lines: string[] = [];
      const dry = await collectGarbage({ blobs, client, runStore, dryRun: true, minAgeMs: 0, log: (line) => lines.push(line) });
      assert.deepEqual({ ...dry, deletedBytes: 0 }, { runs: 3, goneRuns: 1, deletedBlobs: 1, deletedBytes: 0, youngBlobs: 0, storedRuns: 1, uncheckedRuns: 0, abandonedWrites: 0, abandonedBytes: 0 });
      assert.ok(lines.some((line) => line.startsWith(`would delete ${dropped}: 1 blobs`)), lines.join('\n'));
      assert.ok(lines.some((line) => line.startsWith(`kept    ${recorded}: the run store holds it`)), lines.join('\n'));
      assert.equal((await keysUnder(blobs, runPrefix('default', dropped))).length, 1, 'a dry run deletes nothing');

      const young = await collectGarbage({ blobs, client, runStore, minAgeMs: 60 * 60_000 });
      assert.equal(young.deletedBlobs, 0);
      assert.equal(young.youngBlobs, 1);

      const done = await collectGarbage({ blobs, client, runStore, minAgeMs: 0 });
      assert.equal(done.deletedBlobs, 1);
      assert.ok(done.deletedBytes > 200_000);
      assert.deepEqual(await keysUnder(blobs, runPrefix('default', dropped)), []);
      assert.equal((await keysUnder(blobs, runPrefix('default', kept))).length, 1, 'a live run keeps its blobs');
      assert.equal((await keysUnder(blobs, runPrefix('default', recorded))).length, 1, 'a run the store holds keeps its blobs');
      assert.equal((await keysUnder(blobs, 'unscoped/')).length, 1, 'blobs of no run are left alone');

      // Once the store lets the run go (a delete through the API), so does the next collection.
      await runStore.deleteRun(recorded);
      const after = await collectGarbage({ blobs, client, runStore, minAgeMs: 0 });
      assert.equal(after.storedRuns, 0);
      assert.deepEqual(await keysUnder(blobs, runPrefix('default', recorded)), []);
      await runStore.close();
      await client.workflow.getHandle(kept).terminate();
    });
  });
}

describe('blob gc of writes that died mid-way', () => {
  it('npm run blobs -- gc deletes the local store\'s temporary files untouched for an hour, and no others', async () => {
    const dataDir = join(scratch, 'abandoned');
    const run = join(dataDir, 'blobs', 'runs', 'default', 'some-run');
    await mkdir(run, { recursive: true });
    // What a process killed mid-write leaves: a temporary file beside the blobs, named as put names them.
    const dead = join(run, '.0123456789ab.tmp');
    const live = join(run, '.ba9876543210.tmp');
    await writeFile(dead, Buffer.alloc(3 * 1024 * 1024));
    await writeFile(live, Buffer.alloc(1024));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    await utimes(dead, twoHoursAgo, twoHoursAgo);

    const gc = (...args: string[]) =>
      promisify(execFile)(process.execPath, [ENTRYPOINT('blobs'), 'gc', ...args], {
        env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default', BLOB_STORE: 'local', DATA_DIR: dataDir },
        timeout: 60_000,
      });
    const dry = await gc('--dry-run', '--min-age-minutes', '0');
    assert.ok(dry.stdout.includes(`would delete 1 temporary files of writes that died mid-way, 3,145,728 bytes: ${dead}\n`), dry.stdout);
    assert.equal((await readdir(run)).length, 2, 'a dry run deletes nothing');

    // Even told to keep nothing by age, a temporary file touched within the hour may be a live write.
    const done = await gc('--min-age-minutes', '0');
    assert.match(done.stdout, /deleted 1 temporary files of writes that died mid-way, 3,145,728 bytes/);
    assert.deepEqual(await readdir(run), ['.ba9876543210.tmp']);
  });
});
