/**
 * Temporal's External Storage driver over a `BlobStore`: the SDK hands it every payload over the
 * threshold (activity inputs and results, workflow results, query answers, signals, heartbeats)
 * and writes the claim it returns into history instead of the bytes.
 */
import { createHash } from 'node:crypto';
import { StorageDriverClaim } from '@temporalio/common';
import type { Payload, StorageDriver, StorageDriverRetrieveContext, StorageDriverStoreContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { blobKey } from './blob-keys.ts';
import type { BlobStore } from './blob-store.ts';

const PayloadProto = proto.temporal.api.common.v1.Payload;

/**
 * The driver's name is written into every claim and picks the driver that reads it back: it must
 * stay the same for as long as histories that hold claims are kept. It names no store kind, so
 * blobs copied from one store to another (local to S3) still resolve.
 */
export const BLOB_DRIVER_NAME = 'blob-store';
/** Keys this process stored lately: storing them again would rewrite identical bytes. */
const REMEMBERED_KEYS = 10_000;

export function encodePayload(payload: Payload): Uint8Array {
  return PayloadProto.encode(payload).finish();
}

export class BlobStorageDriver implements StorageDriver {
  readonly name = BLOB_DRIVER_NAME;
  readonly type = 'durable-agents.blob-store';
  readonly blobs: BlobStore;
  private readonly stored = new Set<string>();

  constructor(blobs: BlobStore) {
    this.blobs = blobs;
  }

  store(context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    return Promise.all(payloads.map((payload) => this.storeOne(context, encodePayload(payload))));
  }

  /** Stores one encoded payload and returns its claim (used by the activity result guard too). */
  async storeOne(context: StorageDriverStoreContext, bytes: Uint8Array): Promise<StorageDriverClaim> {
    const digest = createHash('sha256').update(bytes).digest('hex');
    const key = blobKey(context.target, digest);
    if (!this.stored.has(key)) {
      try {
        await this.blobs.put(key, bytes);
      } catch (err) {
        throw new Error(`Could not store a ${bytes.byteLength.toLocaleString('en-US')}-byte payload in the blob store (${this.blobs.location}): ${(err as Error).message}`, { cause: err });
      }
      this.remember(key);
    }
    return new StorageDriverClaim({ key, sha256: digest, size: String(bytes.byteLength) });
  }

  retrieve(_context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async ({ claimData }) => {
        const bytes = await this.blobs.get(claimData.key!);
        if (!bytes) {
          throw new Error(`The blob ${claimData.key} (${claimData.size} bytes) is missing from the blob store (${this.blobs.location}): was it deleted, or is this process using another store than the one that wrote it?`);
        }
        const digest = createHash('sha256').update(bytes).digest('hex');
        if (digest !== claimData.sha256) throw new Error(`The blob ${claimData.key} in ${this.blobs.location} does not match its claim (sha256 ${digest}): it was changed after it was stored.`);
        return PayloadProto.decode(bytes);
      }),
    );
  }

  private remember(key: string): void {
    if (this.stored.size >= REMEMBERED_KEYS) this.stored.delete(this.stored.values().next().value!);
    this.stored.add(key);
  }
}
