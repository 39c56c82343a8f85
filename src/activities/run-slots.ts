/**
 * Whether a session's queue may start its next run now: fewer runs execute (RUNNING in the run
 * store, the deployment's count whichever worker runs them) than the deployment's cap, and than
 * the user's cap when there is one. Counted, not reserved: queues of several sessions asking at
 * once may start one run each past the cap (see docs/adr/0017-session-queue.md).
 */
import type { RunStore } from '../run-store/run-store.ts';

export interface RunCaps {
  /** Runs executing at once in the deployment (Agno's `max_concurrency`); 0: no cap. */
  maxConcurrency: number;
  /** Runs executing at once per user; 0: no cap. */
  maxConcurrencyPerUser: number;
}

export function createRunSlotFree(deps: { runStore: RunStore; runCaps: RunCaps }) {
  return async (userId?: string): Promise<boolean> => {
    const { maxConcurrency, maxConcurrencyPerUser } = deps.runCaps;
    if (maxConcurrency > 0 && (await deps.runStore.countRuns({ status: 'RUNNING' }, maxConcurrency)) >= maxConcurrency) return false;
    if (userId !== undefined && maxConcurrencyPerUser > 0 && (await deps.runStore.countRuns({ status: 'RUNNING', userId }, maxConcurrencyPerUser)) >= maxConcurrencyPerUser) return false;
    return true;
  };
}
