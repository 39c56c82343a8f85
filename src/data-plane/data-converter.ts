/**
 * The one data converter of every process that talks to Temporal: client (engine, API), worker
 * and replayer. Payloads of `thresholdBytes` or more go to the blob store through Temporal's
 * External Storage (claim-check); history keeps a claim naming the blob. All of them must use it:
 * a process without it cannot read a history that holds claims.
 */
import { ExternalStorage } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import { openBlobStore } from './config.ts';
import type { DataPlaneConfig } from './config.ts';
import { BLOB_DRIVER_NAME, BlobStorageDriver } from './storage-driver.ts';
import { blobStoreMetrics, MeasuredBlobStore } from './measured-blob-store.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';

/** `metrics`: where the blob store's bytes and latencies are counted (a worker's); none: not counted. */
export function createDataConverter(config: DataPlaneConfig, metrics?: MetricsRegistry): DataConverter {
  const blobs = openBlobStore(config);
  const driver = new BlobStorageDriver(metrics ? new MeasuredBlobStore(blobs, blobStoreMetrics(metrics)) : blobs);
  return { externalStorage: new ExternalStorage({ drivers: [driver], payloadSizeThreshold: config.thresholdBytes }) };
}

/** The blob driver of a converter made by `createDataConverter`. */
export function blobDriverOf(converter: DataConverter): BlobStorageDriver | undefined {
  const driver = converter.externalStorage?.getDriver(BLOB_DRIVER_NAME);
  return driver instanceof BlobStorageDriver ? driver : undefined;
}
