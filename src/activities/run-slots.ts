/**
 * The concurrency cap for sessions' queues: a queue reserves a slot in the run store for its next
 * run (none free: it waits and asks again), and gives it back when that run ends. A reservation
 * is counted and taken in one transaction, so the cap is exact for runs that queues start
 * (docs/adr/0028-exact-concurrency-cap.md); runs started `concurrent` or without a session count
 * against it (their RUNNING rows) but never wait for it.
 */
import type { RunCaps, RunStore } from '../run-store/run-store.ts';

/** How long an unreleased reservation holds before its run's row is written (the API writes it as it submits) and after its run's end (the queue releases it as its execution closes). */
const RESERVATION_LEASE_SECONDS = 300;

export function createRunSlots(deps: { runStore: RunStore; runCaps: RunCaps }) {
  return {
    /** Before the queue starts `runId`: whether it may (a slot is now its own), under both caps. */
    async reserveRunSlot(runId: string, userId?: string): Promise<boolean> {
      const { maxConcurrency, maxConcurrencyPerUser } = deps.runCaps;
      if (maxConcurrency <= 0 && (userId === undefined || maxConcurrencyPerUser <= 0)) return true;
      return deps.runStore.reserveRunSlot({ runId, ...(userId !== undefined ? { userId } : {}), caps: deps.runCaps, leaseSeconds: RESERVATION_LEASE_SECONDS });
    },
    async releaseRunSlot(runId: string): Promise<void> {
      await deps.runStore.releaseRunSlot(runId);
    },
    /**
     * Queues recorded before reservations existed ask this instead (their histories replay it):
     * a count of RUNNING rows, which queues asking at once may each find below the cap.
     */
    async runSlotFree(userId?: string): Promise<boolean> {
      const { maxConcurrency, maxConcurrencyPerUser } = deps.runCaps;
      if (maxConcurrency > 0 && (await deps.runStore.countRuns({ status: 'RUNNING' }, maxConcurrency)) >= maxConcurrency) return false;
      if (userId !== undefined && maxConcurrencyPerUser > 0 && (await deps.runStore.countRuns({ status: 'RUNNING', userId }, maxConcurrencyPerUser)) >= maxConcurrencyPerUser) return false;
      return true;
    },
  };
}
