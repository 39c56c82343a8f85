/**
 * Where the bytes of runs live beside Temporal: a flat key → bytes store. Two drivers implement it,
 * local files (the embedded default) and any S3-compatible service (scale-out).
 *
 * Keys are `/`-separated segments; each segment is 1–255 bytes of letters, digits, `_`, `-`, `%`
 * and `.`, and does not start with `.` (so every key is also a safe relative file path).
 */
export interface BlobInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface BlobStore {
  /** Where the blobs are, for logs and error messages, e.g. `s3://bucket/prefix (http://minio:9000)`. */
  readonly location: string;
  /** Stores the bytes under the key, replacing what was there; readers never see a partial blob. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under the key, or `undefined` when there is no such blob. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the blob; removing a blob that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every blob whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /**
   * A cheap look at the store, for the API's readiness: resolves with its kind (`local files`,
   * `s3`) when it can be read and written, rejects with why not. `signal` aborts at the readiness
   * deadline. The answer is public, so it names no bucket, path or host.
   */
  checkReady(signal: AbortSignal): Promise<string>;
  /**
   * Stores that write through temporary files: deletes those of writes that died mid-way,
   * untouched since `olderThan` (only counts them when `dryRun`).
   */
  removeAbandonedWrites?(olderThan: Date, dryRun?: boolean): Promise<AbandonedWrites>;
}

/** Temporary files of writes that died mid-way, found (and deleted unless a dry run). */
export interface AbandonedWrites {
  files: number;
  bytes: number;
  paths: string[];
}

const SEGMENT = /^[A-Za-z0-9_%-][A-Za-z0-9_.%-]{0,254}$/;

/** Throws unless the key has the shape every driver accepts (see above). */
export function assertValidKey(key: string): void {
  if (!key.split('/').every((segment) => SEGMENT.test(segment))) {
    throw new Error(`Invalid blob key ${JSON.stringify(key)}: use /-separated segments of letters, digits, _ - % . (not starting with .), 255 bytes at most each.`);
  }
}
