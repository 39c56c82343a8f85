/**
 * A worker's own settings from its environment (Temporal's, the data plane's and the run store's
 * are read by their layers): `WORKER_SHUTDOWN_GRACE_MS`, how long a stopping worker lets the
 * model, tool and function calls it is running finish; `MAX_CONCURRENCY` (Agno's
 * `max_concurrency`, default 32, 0 for none) and `MAX_CONCURRENCY_PER_USER` (default none), the
 * runs executing at once past which sessions' queues wait to start their next run.
 */
import type { RunCaps } from '../run-store/run-store.ts';

/**
 * Long enough for most model calls to finish, and with the SDK's own shutdown inside
 * Kubernetes' default 30 s before SIGKILL (Docker's 10 s needs `stop_grace_period`).
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** Agno's default `max_concurrency`. */
export const DEFAULT_MAX_CONCURRENCY = 32;

export interface WorkerEnvSettings {
  shutdownGraceMs: number;
  runCaps: RunCaps;
}

export function workerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnvSettings {
  return {
    shutdownGraceMs: millisecondsFrom('WORKER_SHUTDOWN_GRACE_MS', env.WORKER_SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS),
    runCaps: {
      maxConcurrency: countFrom('MAX_CONCURRENCY', env.MAX_CONCURRENCY, DEFAULT_MAX_CONCURRENCY),
      maxConcurrencyPerUser: countFrom('MAX_CONCURRENCY_PER_USER', env.MAX_CONCURRENCY_PER_USER, 0),
    },
  };
}

/** A count where 0 means "no bound". */
function countFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`${name} must be an integer of 0 or more (0: no bound), got ${JSON.stringify(value)}.`);
  return count;
}

function millisecondsFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`${name} must be a number of milliseconds (0 or more), got ${JSON.stringify(value)}.`);
  return ms;
}
