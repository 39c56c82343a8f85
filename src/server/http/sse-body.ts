/**
 * Where an SSE response's chunks go. Behind Node's server the stream writes straight to the
 * `ServerResponse` (./sse-direct.ts): no WHATWG stream between the frames and the socket. Elsewhere
 * (`app.request` in tests, another runtime) the response's body is a ReadableStream of the
 * chunks. Either way the stream starts only once its writer is known: the first read of the body,
 * or the Node server claiming it, whichever comes first.
 */

/** Where a stream's chunks go, with backpressure. */
export interface SseSink {
  /** Resolves at once while the client keeps up, else when it has read some (or left). */
  write(chunk: string | Uint8Array): Promise<void> | void;
  onAbort(listener: () => void): void;
  /** Ends the response (the client got everything written). */
  close(): void;
}

/** Chunks queued for a client before writing waits for it to read: a slow client holds this much, not the run's log. */
export const QUEUED_CHUNKS = 64;

const utf8 = new TextEncoder();

/** Bodies of SSE responses not started yet, by their stream: the Node server starts them on its response. */
const unstarted = new WeakMap<ReadableStream, (sink: SseSink) => boolean>();

/** A response body that runs `start` on the sink of whoever reads it first. */
export function sseBody(start: (sink: SseSink) => void): ReadableStream<Uint8Array> {
  let started = false;
  const startOnce = (sink: SseSink) => {
    if (started) return false;
    started = true;
    unstarted.delete(body);
    start(sink);
    return true;
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pulled: (() => void) | undefined;
  let closed = false;
  const abortListeners: (() => void)[] = [];
  const sink: SseSink = {
    write(chunk) {
      if (closed) return;
      // A body carries bytes (Node's server took strings, a Response's reader does not).
      controller.enqueue(typeof chunk === 'string' ? utf8.encode(chunk) : chunk);
      // No high-water mark: the reader pulls, and past QUEUED_CHUNKS writing waits for it.
      if ((controller.desiredSize ?? 0) > -QUEUED_CHUNKS) return;
      return new Promise<void>((resolve) => (pulled = resolve));
    },
    onAbort: (listener) => void abortListeners.push(listener),
    close() {
      if (closed) return;
      closed = true;
      pulled?.();
      controller.close();
    },
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => {
        if (startOnce(sink)) return;
        pulled?.();
        pulled = undefined;
      },
      // The client went away (the server cancels the body when its socket closes).
      cancel: () => {
        if (closed) return;
        closed = true;
        pulled?.();
        for (const listener of abortListeners) listener();
      },
    },
    // Nothing is read ahead: the stream starts with the first read.
    { highWaterMark: 0 },
  );
  unstarted.set(body, startOnce);
  return body;
}

/** Takes the start of an SSE body's stream that has not started, to run on another sink than the body; else undefined. */
export function claimSseBody(body: ReadableStream): ((sink: SseSink) => void) | undefined {
  const start = unstarted.get(body);
  return start && ((sink) => void start(sink));
}
