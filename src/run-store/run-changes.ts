/**
 * The listeners of a store's runs, in this process, and the wait of a stream tail for new events
 * built on them. Each store feeds its hub from its own writes and from what other processes wrote
 * (polling the SQLite file, or PostgreSQL's LISTEN/NOTIFY).
 */
import type { RunChange, RunChangeListener, RunListListener, RunStore } from './run-store.ts';

export class RunChangeHub {
  private readonly listeners = new Map<string, Set<RunChangeListener>>();
  /** Listeners of every run's row (the run list). */
  private readonly listListeners = new Set<RunListListener>();
  /** Called when the first listener of any run comes and when the last one leaves. */
  private readonly onActive: (active: boolean) => void;

  constructor(onActive: (active: boolean) => void = () => {}) {
    this.onActive = onActive;
  }

  subscribe(runId: string, listener: RunChangeListener): () => void {
    const wasActive = this.active;
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    // A wrapper per subscription: the same function subscribed twice is told twice and removed once per call.
    const entry: RunChangeListener = (change) => listener(change);
    set.add(entry);
    if (!wasActive) this.onActive(true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(entry);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
      if (!this.active) this.onActive(false);
    };
  }

  /** Tells `listener` of any run's row written (a run started, its status changed, it was deleted). */
  subscribeList(listener: RunListListener): () => void {
    const wasActive = this.active;
    const entry: RunListListener = (runId) => listener(runId);
    this.listListeners.add(entry);
    if (!wasActive) this.onActive(true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listListeners.delete(entry);
      if (!this.active) this.onActive(false);
    };
  }

  /** Whether anyone listens to the run list. */
  get listenedList(): boolean {
    return this.listListeners.size > 0;
  }

  private get active(): boolean {
    return this.listeners.size > 0 || this.listListeners.size > 0;
  }

  /** The runs someone listens to now. */
  runs(): string[] {
    return [...this.listeners.keys()];
  }

  emit(runId: string, change: RunChange): void {
    if (change.kind === 'run') this.emitList(runId);
    for (const listener of [...(this.listeners.get(runId) ?? [])]) {
      try {
        listener(change);
      } catch (err) {
        // One listener's bug must not keep the change from the others, nor fail the write that made it.
        console.error(`run store: a listener of run ${runId} failed:`, err);
      }
    }
  }

  /** Tells the run list's listeners that a run's row changed (`undefined`: some run's, unknown which). */
  emitList(runId: string | undefined): void {
    for (const listener of [...this.listListeners]) {
      try {
        listener(runId);
      } catch (err) {
        console.error('run store: a listener of the run list failed:', err);
      }
    }
  }
}

/**
 * Resolves with the newest stored index once it is beyond `after`. Subscribes before reading the
 * index, so an append between the two is never missed.
 */
export function waitForNewEvents(store: Pick<RunStore, 'subscribe' | 'lastEventIndex'>, runId: string, after: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const onAbort = () => finish(() => reject(signal!.reason));
    const unsubscribe = store.subscribe(runId, (change) => {
      if (change.kind === 'events' && change.last_event_index > after) finish(() => resolve(change.last_event_index));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    store.lastEventIndex(runId).then(
      (last) => {
        if (last > after) finish(() => resolve(last));
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}
