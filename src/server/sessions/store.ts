/**
 * What is kept of workflow sessions beside their runs, in the data plane's blob store:
 * - the names people give them (AgentOS's rename), one small JSON record per user and session,
 *   like runs: one user's session id may also be used by another, who sees only their own runs
 *   under it, and so only their own name. A session of a user is named at
 *   `sessions/<namespace>/users/<user id>/<session id>.json`, one of no user at
 *   `sessions/<namespace>/<session id>.json`. That second key is also where names were kept by
 *   session id alone: such a record (it has no `user_id` field) is the name its session's owner
 *   gave it, the owner being the user of the session's first run (see `legacyName` and the routes);
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
import { encodeSegment } from '../../data-plane/blob-keys.ts';
import type { BlobStore } from '../../data-plane/blob-store.ts';

interface SessionRecord {
  session_name: string;
  /** Whose name this is (null: a session of no user); absent in records kept by session id alone. */
  user_id?: string | null;
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

  private key(sessionId: string, userId: string | undefined): string {
    const user = userId === undefined ? '' : `users/${this.segment(userId)}/`;
    return `sessions/${encodeSegment(this.namespace)}/${user}${this.segment(sessionId)}.json`;
  }

  private async read(key: string): Promise<SessionRecord | undefined> {
    const bytes = await this.blobs().get(key);
    if (!bytes) return undefined;
    const record = JSON.parse(new TextDecoder().decode(bytes)) as SessionRecord;
    return typeof record.session_name === 'string' ? record : undefined;
  }

  /** The name this user (undefined: no user) gave this session; for no user, also a name kept by session id alone. */
  get(sessionId: string, userId: string | undefined): Promise<SessionRecord | undefined> {
    return this.read(this.key(sessionId, userId));
  }

  /** A name kept by session id alone, before names were per user: its session's owner's. */
  async legacyName(sessionId: string): Promise<string | undefined> {
    const record = await this.read(this.key(sessionId, undefined));
    return record && !('user_id' in record) ? record.session_name : undefined;
  }

  async set(sessionId: string, userId: string | undefined, name: string): Promise<SessionRecord> {
    const record: SessionRecord = { session_name: name, user_id: userId ?? null, updated_at: Math.floor(Date.now() / 1000) };
    await this.blobs().put(this.key(sessionId, userId), new TextEncoder().encode(JSON.stringify(record)));
    return record;
  }

  /** Forgets the names these users gave the session (undefined among them: the name of no user, and any legacy one). */
  async delete(sessionId: string, userIds: Iterable<string | undefined>): Promise<void> {
    for (const userId of new Set(userIds)) await this.blobs().delete(this.key(sessionId, userId));
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
