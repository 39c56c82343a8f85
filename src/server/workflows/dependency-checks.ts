/**
 * The API's dependencies, checked side by side for its readiness: Temporal, the run store, the
 * blob store and the live lane's broker. Each check lives with its dependency (`checkReady`,
 * `checkTemporal`); here they run at once, each within its own deadline, so one that hangs (a
 * blackholed host) costs the answer that deadline, never more, and names itself.
 */
import type { ServerDeps } from '../http/context.ts';

/** Resolves with what answered (a kind, never an address: the answer is public); rejects with why not. */
export type DependencyCheck = (signal: AbortSignal) => Promise<string>;

export interface DependencyState {
  status: 'up' | 'down';
  detail?: string;
  error?: string;
  duration_ms: number;
}

/** Each check's deadline by default: well under a load balancer's probe timeout of a few seconds. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/** The checks of what this API process reads from and waits on. */
export function dependencyChecks(deps: ServerDeps): Record<string, DependencyCheck> {
  const store = deps.engine.runStore;
  return {
    temporal: (signal) => deps.engine.checkTemporal(signal),
    // An engine without a store reads every run through Temporal: nothing more to check.
    run_store: store ? (signal) => store.checkReady(signal) : async () => 'none (runs are read through Temporal)',
    blob_store: (signal) => deps.blobs.checkReady(signal),
    live_lane: (signal) => deps.live.checkReady(signal),
  };
}

/** Runs every check at once; each is down when it rejects or has not answered within `timeoutMs`. */
export async function runChecks(checks: Record<string, DependencyCheck>, timeoutMs: number): Promise<Record<string, DependencyState>> {
  const states = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const));
  return Object.fromEntries(states);
}

async function runCheck(check: DependencyCheck, timeoutMs: number): Promise<DependencyState> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const late = new Error(`no answer within ${timeoutMs} ms`);
  const timedOut = new Promise<never>((_, reject) => deadline.signal.addEventListener('abort', () => reject(late), { once: true }));
  // Settled after the race, when the check won it: not an unhandled rejection.
  timedOut.catch(() => undefined);
  const timer = setTimeout(() => deadline.abort(late), timeoutMs);
  try {
    const detail = await Promise.race([Promise.resolve().then(() => check(deadline.signal)), timedOut]);
    return { status: 'up', detail, duration_ms: elapsed() };
  } catch (err) {
    return { status: 'down', error: deadline.signal.aborted ? late.message : errorText(err), duration_ms: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

/** An error as one line: its message, else its code (a refused connection may have only that), else its name. */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code } = err as NodeJS.ErrnoException;
  const nested = err instanceof AggregateError ? err.errors.map(errorText).join('; ') : '';
  return err.message || nested || code || err.name;
}
