/**
 * `npm run blobs -- gc [--dry-run] [--min-age-minutes N]`: deletes the blobs of runs Temporal no
 * longer has (closed runs past the namespace's retention) and the run store does not hold, in the
 * blob store, namespace and run store of the environment (BLOB_STORE, ..., TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, RUN_STORE, ...), and the local store's
 * temporary files of writes that died mid-way (untouched for an hour). Prints each run it deletes
 * and a summary; `--dry-run` deletes nothing. Run it from cron, e.g. daily.
 */
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { connectTemporal } from '../engine/temporal-connection.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../data-plane/config.ts';
import { createDataConverter } from '../data-plane/data-converter.ts';
import { collectGarbage, DEFAULT_MIN_AGE_MS } from '../data-plane/garbage-collection.ts';
import { connectionOptionsOf, temporalConfigFromEnv } from '../engine/config.ts';
import { openRunStore, runStoreConfigFromEnv } from '../run-store/config.ts';

const USAGE = 'usage: npm run blobs -- gc [--dry-run] [--min-age-minutes N]   (default N: 60)';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'dry-run': { type: 'boolean', default: false }, 'min-age-minutes': { type: 'string' } },
});
const minutes = values['min-age-minutes'] === undefined ? DEFAULT_MIN_AGE_MS / 60_000 : Number(values['min-age-minutes']);
if (positionals[0] !== 'gc' || positionals.length !== 1 || !Number.isFinite(minutes) || minutes < 0) {
  console.error(USAGE);
  process.exit(2);
}

const temporal = temporalConfigFromEnv();
const dataPlane = dataPlaneConfigFromEnv();
const connection = await connectTemporal(connectionOptionsOf(temporal));
const runStore = await openRunStore(runStoreConfigFromEnv());
try {
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: createDataConverter(dataPlane) });
  const report = await collectGarbage({
    blobs: openBlobStore(dataPlane),
    client,
    runStore,
    dryRun: values['dry-run'],
    minAgeMs: minutes * 60_000,
    log: (line) => console.log(line),
  });
  process.exitCode = report.uncheckedRuns > 0 ? 1 : 0;
} finally {
  await runStore.close();
  await connection.close();
}
