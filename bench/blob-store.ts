/**
 * Blob store speed: time to store and load a 10 MB payload on each driver (local files, S3 via a
 * moto server on loopback), directly and through the claim-check driver as the SDK calls it
 * (payload conversion, protobuf encoding, sha256, the store; and back, with the digest checked).
 *
 * Also the fixed cost of one blob at the claim-check threshold (64 KiB): what offloading a payload
 * just over it costs.
 *
 *   node bench/blob-store.ts [--runs 7] [--mb 10]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import type { BlobStore } from '../src/data-plane/blob-store.ts';
import { dataPlaneConfigFromEnv, DEFAULT_THRESHOLD_BYTES, openBlobStore } from '../src/data-plane/config.ts';
import { BlobStorageDriver } from '../src/data-plane/storage-driver.ts';
import { startS3Server } from '../test/support/s3-server.ts';
import { printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, mb: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const bytes = Number(values.mb) * 1024 * 1024;
const target = { kind: 'workflow' as const, namespace: 'default', id: 'bench-run' };

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function measure(name: string, blobs: BlobStore): Promise<Record<string, string | number>[]> {
  const samples = { put: [] as number[], get: [] as number[], store: [] as number[], retrieve: [] as number[], putSmall: [] as number[], getSmall: [] as number[] };
  for (let run = 0; run < runs; run++) {
    // Different bytes every run: content addressing must not turn a store into a no-op.
    const raw = Buffer.alloc(bytes, `${run} abcdefghijklmnopqrstuvwxyz `);
    samples.put.push(await time(() => blobs.put(`runs/default/bench-run/raw-${run}`, raw)));
    samples.get.push(await time(() => blobs.get(`runs/default/bench-run/raw-${run}`)));
    const driver = new BlobStorageDriver(blobs);
    const text = raw.toString('latin1');
    let claims: Awaited<ReturnType<BlobStorageDriver['store']>> = [];
    samples.store.push(await time(async () => (claims = await driver.store({ target }, [defaultPayloadConverter.toPayload(text)]))));
    samples.retrieve.push(await time(async () => defaultPayloadConverter.fromPayload((await driver.retrieve({}, claims))[0]!)));
    const small = raw.subarray(0, DEFAULT_THRESHOLD_BYTES);
    samples.putSmall.push(await time(() => blobs.put(`runs/default/bench-run/small-${run}`, small)));
    samples.getSmall.push(await time(() => blobs.get(`runs/default/bench-run/small-${run}`)));
  }
  const mb = bytes / 1024 / 1024;
  const row = (operation: string, values: number[]) => {
    const s = summarize(values);
    return { driver: name, operation, 'p50 ms': s.p50, 'min ms': s.min, 'max ms': s.max, 'MB/s (p50)': (mb * 1000) / s.p50 };
  };
  return [
    row(`put ${mb} MB`, samples.put),
    row(`get ${mb} MB`, samples.get),
    row(`claim-check store ${mb} MB string`, samples.store),
    row(`claim-check retrieve ${mb} MB string`, samples.retrieve),
    { ...row('put 64 KiB', samples.putSmall), 'MB/s (p50)': '' },
    { ...row('get 64 KiB', samples.getSmall), 'MB/s (p50)': '' },
  ];
}

printMachine();
console.log(`${runs} runs per operation, ${bytes.toLocaleString('en-US')} bytes each`);
const rows: Record<string, string | number>[] = [];
const dir = await mkdtemp(join(tmpdir(), 'bench-blobs-'));
const s3 = await startS3Server();
try {
  rows.push(...(await measure('local', openBlobStore(dataPlaneConfigFromEnv({ DATA_DIR: dir })))));
  rows.push(...(await measure('s3 (moto)', openBlobStore(dataPlaneConfigFromEnv(await s3.bucket('bench'))))));
} finally {
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
}
printTable(rows);
console.log(JSON.stringify({ bench: 'blob-store', runs, bytes, rows }));
