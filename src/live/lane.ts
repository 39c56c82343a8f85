/**
 * The live lane: how a model call's token deltas travel from the worker that receives them to
 * every process following the run, ahead of the run's durable log. It is best-effort by design:
 * publishing never waits and never fails a run, and a reader that misses deltas gets the text
 * from the log instead (see docs/adr/0007-live-lane.md).
 */
import type { LiveDelta } from '../contracts/live.ts';

/** A model call attempt has returned: readers may look for its events in the log now. */
export interface LiveCallEnded {
  kind: 'ended';
  runId: string;
  callId: string;
  attempt: number;
}

export type LiveMessage = ({ kind: 'delta' } & LiveDelta) | LiveCallEnded;

/** Counters of a lane, shown by the API's /health and in the logs. */
export interface LiveLaneHealth {
  kind: 'memory' | 'redis' | 'off';
  /** Whether the broker is reachable (always true in memory). */
  connected: boolean;
  published: number;
  /** Messages dropped because the publish queue was full (a slow or unreachable broker). */
  dropped: number;
  /** Messages whose publishing failed (the broker was unreachable or answered an error). */
  failed: number;
  received: number;
}

export interface LiveLane {
  readonly kind: LiveLaneHealth['kind'];
  /** Hands a message to the lane and returns at once; never throws. */
  publish(message: LiveMessage): void;
  /**
   * Calls `listener` with the run's recent messages (a short replay buffer, for readers that
   * join mid-answer), then with each new one, until the returned function is called. Messages
   * may repeat or arrive after a gap: readers order them by call, attempt and offset.
   */
  follow(runId: string, listener: (message: LiveMessage) => void): () => void;
  health(): LiveLaneHealth;
  /**
   * For the API's readiness: resolves with what carries the lane (`in-process`, `redis`, `off`)
   * once its broker answers (a Redis PING), rejects with why not.
   */
  checkReady(signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}
