/**
 * What is kept of workflow sessions beside their runs, in the data plane's blob store:
 * - the names people give them (AgentOS's rename), one small JSON record per session at
 *   `sessions/<namespace>/<session id>.json`;
 * - the runs of deleted sessions, one empty blob per run at `sessions/<namespace>/deleted-runs/<run id>`:
 *   Temporal deletes executions asynchronously (their visibility records and state linger for a
 *   while), so readers leave these runs out from the moment the session is deleted.
 *
 * Why there: a session is only a search attribute (AgentSessionId) shared by its runs, and nothing
 * of a run can be changed from outside once it has started. Temporal keeps a run's memo as it was
 * at the start, and only a run's own workflow code can upsert its search attributes, which a
 * finished run never runs again. The blob store is already shared by every API and worker process
 * (local files in the all-in-one process, S3 for scale-out), so every API replica sees a rename.
 * Garbage collection walks `runs/` only, so a record outlives its runs' blobs until the session is
 * deleted.
 */
import { createHash } from 'node:crypto';
import { encodeSegment } from '../data-plane/blob-keys.ts';
import type { BlobStore } from '../data-plane/blob-store.ts';

interface SessionRecord {
  session_name: string;
  /** Unix seconds of the rename. */
  updated_at: number;
}

export class SessionStore {
  private readonly blobs: () => BlobStore;
  private readonly namespace: string;

  /** `blobs` is called on first use. */
  constructor(blobs: () => BlobStore, namespace: string) {
    this.blobs = blobs;
    this.namespace = namespace;
  }

  /** One safe key segment of at most 255 bytes: the id itself, percent-encoded, or the hash of a long one. */
  private segment(id: string): string {
    const encoded = encodeSegment(id);
    return encoded.length <= 240 ? encoded : `sha256-${createHash('sha256').update(id).digest('hex')}`;
  }

  private key(sessionId: string): string {
    return `sessions/${encodeSegment(this.namespace)}/${this.segment(sessionId)}.json`;
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const bytes = await this.blobs().get(this.key(sessionId));
    if (!bytes) return undefined;
    const record = JSON.parse(new TextDecoder().decode(bytes)) as SessionRecord;
    return typeof record.session_name === 'string' ? record : undefined;
  }

  async set(sessionId: string, name: string): Promise<SessionRecord> {
    const record: SessionRecord = { session_name: name, updated_at: Math.floor(Date.now() / 1000) };
    await this.blobs().put(this.key(sessionId), new TextEncoder().encode(JSON.stringify(record)));
    return record;
  }

  delete(sessionId: string): Promise<void> {
    return this.blobs().delete(this.key(sessionId));
  }

  private deletedPrefix(): string {
    return `sessions/${encodeSegment(this.namespace)}/deleted-runs/`;
  }

  async markDeleted(runIds: string[]): Promise<void> {
    // Run ids are Temporal workflow ids; long ones are hashed like long session ids.
    for (const runId of runIds) await this.blobs().put(`${this.deletedPrefix()}${this.segment(runId)}`, new Uint8Array());
  }

  /** Whether a run belongs to a deleted session, as a predicate over run ids (one listing of the store). */
  async deletedRuns(): Promise<(runId: string) => boolean> {
    const deleted = new Set<string>();
    const prefix = this.deletedPrefix();
    for await (const blob of this.blobs().list(prefix)) deleted.add(blob.key.slice(prefix.length));
    return (runId) => deleted.has(this.segment(runId));
  }
}
