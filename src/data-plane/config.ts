/**
 * The data plane's settings, from the environment: which blob store holds the bytes that do not
 * belong in Temporal's history, and the sizes that decide what goes there.
 */
import { join } from 'node:path';
import type { BlobStore } from './blob-store.ts';
import { DEFAULT_RESERVE_BYTES } from './disk-room.ts';
import { LocalBlobStore } from './local-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

/**
 * Payloads of this size or more go to the blob store and history keeps a claim of ~200 bytes.
 * 64 KiB keeps each event far below Temporal's 256 KiB warning, so even a run of 1,000 model and
 * tool calls stays well inside the 50 MB history limit, while the small payloads most calls
 * carry (arguments, short replies) stay inline and cost no blob round trip.
 */
export const DEFAULT_THRESHOLD_BYTES = 64 * 1024;
/**
 * The largest single payload a run may produce (an activity result, a step's content). A product
 * limit, not Temporal's: a run holds its payloads in worker memory, several copies each.
 */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/**
 * Payloads under the threshold stay inline, so it must stay well under Temporal's limits: 2 MB per
 * payload, 4 MB per gRPC message (one workflow task may schedule many activities at once).
 */
export const MAX_THRESHOLD_BYTES = 1024 * 1024;

export type DataPlaneConfig = {
  thresholdBytes: number;
  maxBytes: number;
} & ({ store: 'local'; directory: string; reserveBytes: number } | ({ store: 's3' } & S3BlobStoreOptions));

export function dataPlaneConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DataPlaneConfig {
  const sizes = {
    thresholdBytes: byteCount(env, 'BLOB_THRESHOLD_BYTES', DEFAULT_THRESHOLD_BYTES),
    maxBytes: byteCount(env, 'BLOB_MAX_BYTES', DEFAULT_MAX_BYTES),
  };
  if (sizes.thresholdBytes > MAX_THRESHOLD_BYTES) {
    throw new Error(`BLOB_THRESHOLD_BYTES=${sizes.thresholdBytes} is over ${MAX_THRESHOLD_BYTES}: payloads under it stay in Temporal's history, which refuses payloads over 2 MB and messages over 4 MB.`);
  }
  const store = env.BLOB_STORE || 'local';
  if (store === 'local') {
    // Free space the local store leaves on its disk, for Temporal's history beside it (disk-room.ts).
    return { ...sizes, store, directory: join(env.DATA_DIR || '.data', 'blobs'), reserveBytes: byteCount(env, 'BLOB_LOCAL_RESERVE_BYTES', DEFAULT_RESERVE_BYTES) };
  }
  if (store !== 's3') throw new Error(`BLOB_STORE=${store} is not a blob store: use local or s3.`);
  if (!env.BLOB_S3_BUCKET) throw new Error('BLOB_STORE=s3 needs BLOB_S3_BUCKET.');
  return {
    ...sizes,
    store,
    bucket: env.BLOB_S3_BUCKET,
    prefix: env.BLOB_S3_PREFIX || undefined,
    region: env.BLOB_S3_REGION || env.AWS_REGION || undefined,
    endpoint: env.BLOB_S3_ENDPOINT || undefined,
    // Services other than AWS (MinIO, moto) expect path-style URLs: the default when an endpoint is given.
    forcePathStyle: env.BLOB_S3_PATH_STYLE ? env.BLOB_S3_PATH_STYLE === 'true' : Boolean(env.BLOB_S3_ENDPOINT),
    // The standard variables, read from this environment (a worker may be given its own); without
    // them the AWS SDK's own chain (profiles, instance roles) applies.
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
        : undefined,
  };
}

export function openBlobStore(config: DataPlaneConfig): BlobStore {
  return config.store === 'local' ? new LocalBlobStore(config.directory, { reserveBytes: config.reserveBytes }) : new S3BlobStore(config);
}

function byteCount(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name}=${text} is not a number of bytes.`);
  return value;
}
