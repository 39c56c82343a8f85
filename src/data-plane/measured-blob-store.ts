/**
 * A blob store that counts what goes through it: bytes written and read, and how long each write,
 * read and delete took, by outcome. It wraps the worker's store, so the claim-check's payloads and
 * the activities' texts and archives are all in it.
 */
import { LATENCY_BUCKETS } from '../metrics/instruments.ts';
import type { Counter, Histogram } from '../metrics/instruments.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { AbandonedWrites, BlobInfo, BlobStore } from './blob-store.ts';

type Operation = 'put' | 'get' | 'delete';

export interface BlobStoreMetrics {
  bytes: Counter<'operation'>;
  duration: Histogram<'operation' | 'outcome'>;
}

export function blobStoreMetrics(registry: MetricsRegistry): BlobStoreMetrics {
  return {
    bytes: registry.counter('durable_agents_blob_store_bytes_total', 'Bytes written to (put) and read from (get) the blob store.', ['operation']),
    duration: registry.histogram(
      'durable_agents_blob_store_operation_duration_seconds',
      'Seconds a blob store operation (put, get, delete) took, by outcome (ok, missing: a get of no blob, error).',
      ['operation', 'outcome'],
      LATENCY_BUCKETS,
    ),
  };
}

export class MeasuredBlobStore implements BlobStore {
  readonly location: string;
  readonly removeAbandonedWrites?: (olderThan: Date, dryRun?: boolean) => Promise<AbandonedWrites>;
  private readonly store: BlobStore;
  private readonly metrics: BlobStoreMetrics;

  constructor(store: BlobStore, metrics: BlobStoreMetrics) {
    this.store = store;
    this.metrics = metrics;
    this.location = store.location;
    if (store.removeAbandonedWrites) this.removeAbandonedWrites = store.removeAbandonedWrites.bind(store);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.timed('put', () => this.store.put(key, bytes));
    this.metrics.bytes.inc({ operation: 'put' }, bytes.byteLength);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const bytes = await this.timed('get', () => this.store.get(key), (found) => (found === undefined ? 'missing' : 'ok'));
    if (bytes) this.metrics.bytes.inc({ operation: 'get' }, bytes.byteLength);
    return bytes;
  }

  delete(key: string): Promise<void> {
    return this.timed('delete', () => this.store.delete(key));
  }

  checkReady(signal: AbortSignal): Promise<string> {
    return this.store.checkReady(signal);
  }

  list(prefix: string): AsyncIterable<BlobInfo> {
    return this.store.list(prefix);
  }

  private async timed<T>(operation: Operation, work: () => Promise<T>, outcomeOf: (result: T) => string = () => 'ok'): Promise<T> {
    const startedAt = performance.now();
    const took = () => (performance.now() - startedAt) / 1000;
    try {
      const result = await work();
      this.metrics.duration.observe({ operation, outcome: outcomeOf(result) }, took());
      return result;
    } catch (err) {
      this.metrics.duration.observe({ operation, outcome: 'error' }, took());
      throw err;
    }
  }
}
