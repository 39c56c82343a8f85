/**
 * A run's stream inside this process (`workflow.arunStream`, `workflow.streamRun`): the same
 * stream as an SSE client gets from the API — log events and live text, nothing twice — without
 * HTTP in between.
 */
import type { StreamedEvent } from '../contracts/live.ts';
import type { Engine } from '../engine/engine.ts';
import { defaultLiveLane } from './config.ts';
import type { StreamCursor } from './cursor.ts';
import type { LiveLane } from './lane.ts';
import { RunTails } from './run-tails.ts';

export interface FollowRunOptions {
  /** Where from: default the start of the log. */
  cursor?: StreamCursor;
  /** Default the process's lane (LIVE_LANE, REDIS_URL). */
  lane?: LiveLane;
  signal?: AbortSignal;
}

export async function* followRun(engine: Engine, runId: string, options: FollowRunOptions = {}): AsyncGenerator<StreamedEvent> {
  const tails = new RunTails(engine, { lane: options.lane ?? defaultLiveLane(), lingerMs: 0 });
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    options.signal?.throwIfAborted();
    for await (const frame of tails.subscribe(runId, options.cursor ?? { after: -1, calls: [] }, stop.signal)) yield frame.event;
    options.signal?.throwIfAborted();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    tails.close();
  }
}
