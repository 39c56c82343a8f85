/**
 * What other processes wrote to the embedded store's file, noticed without them: SQLite has no
 * notification between processes (a worker and an API sharing the file), so while anyone in this
 * process listens, `PRAGMA data_version` is read every 50 ms. It is one cheap read that changes
 * only when another connection committed; then the listened runs' newest index and row version
 * are read and what changed is told. Listeners of the run list are told that some run may have
 * changed (which one, the file does not say cheaply). Writes of this connection are told by the
 * store itself.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { RunChangeHub } from './run-changes.ts';

export const POLL_INTERVAL_MS = 50;
/**
 * Polling goes on this long after the last listener left: a stream tail subscribes again right
 * after each wake-up, and a poll restarted each time would tell it only a whole interval later.
 */
export const POLL_LINGER_MS = 5000;

export class SqliteChangePoll {
  private readonly db: DatabaseSync;
  private readonly hub: () => RunChangeHub;
  private readonly dataVersion: StatementSync;
  private readonly versions: StatementSync;
  private timer: NodeJS.Timeout | undefined;
  private lingering: NodeJS.Timeout | undefined;
  private lastDataVersion = -1;
  /** What was last seen of each listened run: its newest index and its row's version. */
  private readonly seen = new Map<string, { last: number; row: string }>();

  constructor(db: DatabaseSync, hub: () => RunChangeHub) {
    this.db = db;
    this.hub = hub;
    this.dataVersion = db.prepare('PRAGMA data_version');
    this.versions = db.prepare(
      `SELECT coalesce((SELECT max(event_index) FROM run_events WHERE run_id = ?1), -1) AS last,
              coalesce((SELECT last_event_index || ':' || revision FROM runs WHERE run_id = ?1), '') AS row`,
    );
  }

  /** Polls while someone listens, and for a moment after. */
  setActive(active: boolean): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (active && !this.timer) {
      this.lastDataVersion = this.readDataVersion();
      // Not unref'd: a listener waits for something, as a socket read would (PostgreSQL's LISTEN connection holds the process too).
      this.timer = setInterval(() => this.poll(), POLL_INTERVAL_MS);
    } else if (!active && this.timer) {
      this.lingering = setTimeout(() => this.halt(), POLL_LINGER_MS);
      // With nobody listening, the lingering poll must not keep the process alive.
      this.lingering.unref();
      this.timer.unref();
    } else if (active) this.timer?.ref();
  }

  private halt(): void {
    clearTimeout(this.lingering);
    this.lingering = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    this.seen.clear();
  }

  /** Remembers a run's state when its first listener comes, so only later changes are told. */
  remember(runId: string): void {
    if (!this.seen.has(runId)) this.seen.set(runId, this.read(runId));
  }

  private readDataVersion(): number {
    return Number(this.dataVersion.get()!.data_version);
  }

  private read(runId: string): { last: number; row: string } {
    const row = this.versions.get(runId)!;
    return { last: Number(row.last), row: String(row.row) };
  }

  private poll(): void {
    try {
      const version = this.readDataVersion();
      if (version === this.lastDataVersion) return;
      this.lastDataVersion = version;
      const hub = this.hub();
      if (hub.listenedList) hub.emitList(undefined);
      const runs = hub.runs();
      // Runs nobody listens to any more are forgotten: an API process that always has listeners keeps only the current ones.
      for (const runId of this.seen.keys()) if (!runs.includes(runId)) this.seen.delete(runId);
      for (const runId of runs) {
        const before = this.seen.get(runId);
        const now = this.read(runId);
        this.seen.set(runId, now);
        if (!before || now.last > before.last) hub.emit(runId, { kind: 'events', last_event_index: now.last });
        if (!before || now.row !== before.row) hub.emit(runId, { kind: 'run' });
      }
    } catch (err) {
      // Busy or closed: the next tick tries again (close stops the timer first).
      if (!String(err).includes('database is locked')) console.error('run store: reading changes of the database file failed:', err);
    }
  }

  stop(): void {
    this.halt();
  }
}
