/**
 * Fan-outs share the event loop in slices. When the log of many runs moves at once (the store
 * wakes every tail together), every client's stream writes its frames in one run of promise
 * callbacks: a single turn of the event loop that lasted half a second with a thousand clients,
 * while Node accepts new connections (one per listening socket and turn) and reads requests only
 * between turns. A stream asks for the slice before each frame: past the slice it waits for the
 * next turn, behind the streams already waiting (setImmediate keeps their order), so bursts are
 * spread over many short turns and a connecting client is answered between them.
 */

/** Longest stretch of frame writing before streams let the event loop turn. */
export const SLICE_MS = 10;

let sliceStartedAt: number | undefined;

/** Undefined while the current slice lasts (go on), else a promise of the next turn of the event loop. */
export function nextSlice(): Promise<void> | undefined {
  const now = performance.now();
  if (sliceStartedAt === undefined) {
    sliceStartedAt = now;
    // The slice ends with this turn: the next one starts its own.
    setImmediate(() => (sliceStartedAt = undefined));
    return undefined;
  }
  if (now - sliceStartedAt < SLICE_MS) return undefined;
  return new Promise((resolve) => setImmediate(resolve));
}
