/**
 * A worker's own settings from its environment (Temporal's, the data plane's and the run store's
 * are read by their layers): `WORKER_SHUTDOWN_GRACE_MS`, how long a stopping worker lets the
 * model, tool and function calls it is running finish.
 */

/**
 * Long enough for most model calls to finish, and with the SDK's own shutdown inside
 * Kubernetes' default 30 s before SIGKILL (Docker's 10 s needs `stop_grace_period`).
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

export interface WorkerEnvSettings {
  shutdownGraceMs: number;
}

export function workerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerEnvSettings {
  return { shutdownGraceMs: millisecondsFrom('WORKER_SHUTDOWN_GRACE_MS', env.WORKER_SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS) };
}

function millisecondsFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`${name} must be a number of milliseconds (0 or more), got ${JSON.stringify(value)}.`);
  return ms;
}
