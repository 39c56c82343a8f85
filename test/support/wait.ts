/**
 * Deadlines for tests: every wait in the suite ends, by success or by an error that says what was
 * awaited. A broken change then fails a named test quickly instead of hanging the run.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this long; default 30 s. */
  timeoutMs?: number;
  /** Pause between checks; default 100 ms. */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns something other than `undefined` or `false`, and returns that.
 * Throws `Timed out after N ms waiting for <what>` (with the last value or error seen) at the
 * deadline; a check that itself hangs is cut off at the deadline too.
 */
export async function waitUntil<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await withDeadline(`one check of ${what}`, Promise.resolve().then(check), Math.max(1, deadline - Date.now()));
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${seen})`);
    }
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** The promise's value, or `Timed out after N ms: <what>` (the promise is left to settle on its own). */
export async function withDeadline<T>(what: string, promise: Promise<T>, timeoutMs = 30_000): Promise<T> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
        throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}

/**
 * Every item of a stream, read to its end within `timeoutMs`. `open` gets a signal that aborts at
 * the deadline, so a stream that honours it (the engine's and the client's event streams do) stops
 * reading; one that does not is abandoned. Throws `Timed out after N ms: <what> (K items so far)`.
 */
export async function collectWithin<T>(what: string, open: (signal: AbortSignal) => AsyncIterable<T>, timeoutMs = 60_000): Promise<T[]> {
  const items: T[] = [];
  const deadline = new AbortController();
  const timeout = () => new Error(`Timed out after ${timeoutMs} ms: ${what} (${items.length} items so far)`);
  let onTimeout: () => void = () => {};
  const timedOut = new Promise<never>((_, reject) => (onTimeout = () => reject(timeout())));
  const timer = setTimeout(() => {
    deadline.abort();
    onTimeout();
  }, timeoutMs);
  const iterator = open(deadline.signal)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next.done) return items;
      items.push(next.value);
    }
  } catch (err) {
    void iterator.return?.()?.catch(() => undefined);
    // The stream may notice the abort before the timer's own rejection wins the race.
    throw deadline.signal.aborted ? timeout() : err;
  } finally {
    clearTimeout(timer);
  }
}
