/**
 * When the fake OpenAI wrote each text delta, for benchmarks of token latency: wraps
 * `ServerResponse.prototype.write` in this process, where the fake runs, and notes the clock's
 * time of each `response.output_text.delta` event it writes.
 */
import { ServerResponse } from 'node:http';

export interface DeltaWrites {
  /** The times of the deltas written since the last `clear()`, in order. */
  readonly times: number[];
  clear(): void;
  /** Puts `write` back. */
  restore(): void;
}

export function watchDeltaWrites(now: () => number): DeltaWrites {
  const times: number[] = [];
  const write = ServerResponse.prototype.write;
  ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (typeof chunk === 'string' && chunk.startsWith('event: response.output_text.delta\n')) times.push(now());
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  return {
    times,
    clear: () => void times.splice(0),
    restore: () => void (ServerResponse.prototype.write = write),
  };
}
