/**
 * Blobs in an S3-compatible service (AWS S3, MinIO, Ceph, R2, moto, ...): what workers and API
 * processes on several machines share. Credentials come from the AWS SDK's standard chain
 * (`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, profiles, instance roles).
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertValidKey } from './blob-store.ts';
import type { BlobInfo, BlobStore } from './blob-store.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `durable-agents/`; default none. */
  prefix?: string;
  region?: string;
  /** Endpoint of a non-AWS service, e.g. `http://minio:9000`; default AWS. */
  endpoint?: string;
  /** `http://host/bucket/key` URLs instead of `http://bucket.host/key`: what MinIO and moto expect. */
  forcePathStyle?: boolean;
  /** Give up on a request after this long (ms); default 60 s. */
  requestTimeoutMs?: number;
  /** Default: the AWS SDK's chain (environment, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? options.prefix.replace(/\/*$/, '/') : '';
    this.location = `s3://${this.bucket}/${this.prefix}${options.endpoint ? ` (${options.endpoint})` : ''}`;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      // A few quick attempts inside one call, never a long loop: a store that stays down fails the run.
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5000, requestTimeout: options.requestTimeoutMs ?? 60_000 },
      // Checksums only where S3 requires them: several S3-compatible services reject the newer defaults.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    assertValidKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: bytes, ContentLength: bytes.byteLength }));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertValidKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return await object.Body!.transformToByteArray();
    } catch (err) {
      if ((err as Error).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        yield { key: object.Key!.slice(this.prefix.length), size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async checkReady(signal: AbortSignal): Promise<string> {
    // One listing of at most one key under the prefix: the service answers, the bucket is there,
    // and the credentials may list what gc lists.
    await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }), { abortSignal: signal });
    return 's3';
  }

  /** Closes the client's pooled connections. */
  close(): void {
    this.client.destroy();
  }
}
