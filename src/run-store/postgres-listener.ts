/**
 * Changes written by any process, told through PostgreSQL's LISTEN/NOTIFY: each write that
 * changes a run sends `pg_notify(RUN_STORE_CHANNEL, …)` in its transaction (delivered on commit,
 * so a listener never hears of what did not commit), and one connection per store listens from
 * the first subscription until the store closes (a stream tail subscribes and leaves at every
 * wait: a connection each time would cost more than the one kept). Whenever that connection
 * (re)starts listening, every listened run is read and told once: nothing written while it was
 * not listening is missed.
 */
import pg from 'pg';
import type { Pool, PoolConfig } from 'pg';
import type { RunChangeHub } from './run-changes.ts';
import type { RunChange } from './run-store.ts';

export const RUN_STORE_CHANNEL = 'run_store_changes';

/** A notification's payload: short, far under PostgreSQL's 8000 bytes. */
export interface ChangeNotice {
  run_id: string;
  change: RunChange;
}

const RECONNECT_DELAY_MS = 500;

export class PostgresListener {
  private readonly config: PoolConfig;
  private readonly pool: Pool;
  private readonly hub: () => RunChangeHub;
  private client: pg.Client | undefined;
  private active = false;
  private stopped = false;
  private starting: Promise<void> | undefined;
  /** Waiting before connecting again after a failure. */
  private retrying = false;

  constructor(config: PoolConfig, pool: Pool, hub: () => RunChangeHub) {
    this.config = config;
    this.pool = pool;
    this.hub = hub;
  }

  /** Listens from the first listener on. */
  setActive(active: boolean): void {
    if (active) this.active = true;
    this.reconcile();
  }

  /** Starts the connection when it should listen and does not; once a wait to retry is over, again. */
  private reconcile(): void {
    if (this.stopped || this.starting || this.retrying || !this.active || this.client) return;
    this.starting = this.start().finally(() => {
      this.starting = undefined;
      this.reconcile();
    });
  }

  private async start(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== RUN_STORE_CHANNEL || !message.payload) return;
      const notice = JSON.parse(message.payload) as ChangeNotice;
      this.hub().emit(notice.run_id, notice.change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${RUN_STORE_CHANNEL}`);
    } catch (err) {
      console.error(`run store: listening for changes failed, trying again in ${RECONNECT_DELAY_MS} ms:`, err instanceof Error ? err.message : err);
      void client.end().catch(() => {});
      this.retryLater();
      return;
    }
    if (this.stopped) {
      void client.end().catch(() => {});
      return;
    }
    this.client = client;
    try {
      await this.tellCurrent();
    } catch (err) {
      // Listening works; the next write is told as usual. Only a change made in the gap may wait for the one after it.
      console.error('run store: reading the listened runs after LISTEN failed:', err instanceof Error ? err.message : err);
    }
  }

  /** Tells each listened run's state now: what was written before LISTEN took effect is not lost. */
  private async tellCurrent(): Promise<void> {
    // The run list's listeners may have missed a run started or ended before LISTEN took effect.
    if (this.hub().listenedList) this.hub().emitList(undefined);
    const runs = this.hub().runs();
    if (runs.length === 0) return;
    const { rows } = await this.pool.query('SELECT run_id, max(event_index) AS last FROM run_events WHERE run_id = ANY($1) GROUP BY run_id', [runs]);
    for (const row of rows) this.hub().emit(String(row.run_id), { kind: 'events', last_event_index: Number(row.last) });
    for (const runId of runs) this.hub().emit(runId, { kind: 'run' });
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => {});
    this.retryLater();
  }

  private retryLater(): void {
    if (this.stopped || this.retrying) return;
    this.retrying = true;
    setTimeout(() => {
      this.retrying = false;
      this.reconcile();
    }, RECONNECT_DELAY_MS).unref();
  }

  /** Resolves once listening (or at once when nobody listens): for tests and for orderly starts. */
  async ready(): Promise<void> {
    await this.starting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => {});
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
