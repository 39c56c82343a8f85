/**
 * The live lane's metrics. A reader's (the API's run tails): how late token deltas arrive, and how
 * often a model call's text had to come from the durable log instead. A lane's own counters (the
 * ones /health shows), read from the lane at each scrape, in every process that has one.
 */
import type { Counter, Histogram } from '../metrics/instruments.ts';
import type { MetricsRegistry } from '../metrics/registry.ts';
import type { LiveLane } from './lane.ts';

/**
 * Why a reader gave up a call's live text, which the log then brings: a delta went missing (`gap`),
 * or the reader joined after the call had started and never got its start (`late_join`).
 */
export type LiveFallbackReason = 'gap' | 'late_join';

export interface LiveReaderMetrics {
  /** Seconds from the worker receiving a delta from the model to a reader receiving it from the lane. */
  lag: Histogram;
  fallbacks: Counter<'reason'>;
}

/** Lags of a live lane: sub-millisecond in one process, a few ms through a broker. */
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function liveReaderMetrics(registry: MetricsRegistry): LiveReaderMetrics {
  return {
    lag: registry.histogram(
      'durable_agents_live_lane_lag_seconds',
      'Seconds from the worker receiving a token delta from the model to the API receiving it on the live lane (the two clocks of those processes).',
      [],
      LAG_BUCKETS,
    ),
    fallbacks: registry.counter(
      'durable_agents_live_lane_fallbacks_total',
      'Model calls whose text an API took from the durable log instead of the live lane, by reason (gap: a delta went missing; late_join: it joined after the call started).',
      ['reason'],
    ),
  };
}

/** The lane's counters (as /health shows them), read from it at each scrape. */
export function readLaneHealth(registry: MetricsRegistry, lane: LiveLane): void {
  const counters = { published: 'handed to the lane', received: 'delivered to readers of this process', dropped: 'dropped because the publish queue was full', failed: 'whose publishing failed' } as const;
  for (const [field, what] of Object.entries(counters) as [keyof typeof counters, string][]) {
    registry.read(`durable_agents_live_lane_${field}_total`, `Live lane messages ${what}.`, 'counter', () => lane.health()[field]);
  }
  registry.read('durable_agents_live_lane_connected', 'Whether the live lane’s broker is reachable (1) or not (0).', 'gauge', () => (lane.health().connected ? 1 : 0));
}
