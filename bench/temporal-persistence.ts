/**
 * Temporal's persistence latency, from its own Prometheus metrics: the server's
 * `persistence_latency` histogram (each call its services make to their store, labelled with the
 * `operation`), scraped before and after what a benchmark measures. What happened in between is
 * the difference of the two; quantiles are estimated from the histogram's buckets as Prometheus's
 * `histogram_quantile` does (linear within the bucket), so they are only as fine as its buckets.
 */
import { scrape } from '../test/support/metrics-scrape.ts';
import type { Series } from '../test/support/metrics-scrape.ts';

/** Its series: `persistence_latency_bucket`, `_sum`, `_count`, perhaps with a unit between. */
const METRIC = /^persistence_latency(_[a-z]+)?_(bucket|sum|count)$/;

/** One histogram: cumulative counts by upper bound (in ms), the sum (ms) and the count. */
interface Histogram {
  buckets: Map<number, number>;
  sumMs: number;
  count: number;
}

/** The histogram summed over every label but `operation`, by operation. */
export type PersistenceSnapshot = Map<string, Histogram>;

export interface PersistenceLatency {
  operation: string;
  calls: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Time spent in it, all calls together. */
  totalMs: number;
}

/**
 * The unit of the histogram's values: the real server's tally reporter observes seconds under the
 * plain name; a name ending in its unit says so.
 */
function msPerUnit(name: string): number {
  return name.includes('_milliseconds') ? 1 : 1000;
}

export async function persistenceSnapshot(metricsUrl: string): Promise<PersistenceSnapshot> {
  const { series } = await scrape(metricsUrl);
  const snapshot: PersistenceSnapshot = new Map();
  const of = (s: Series) => {
    const operation = s.labels.operation ?? '(none)';
    let histogram = snapshot.get(operation);
    if (!histogram) snapshot.set(operation, (histogram = { buckets: new Map(), sumMs: 0, count: 0 }));
    return histogram;
  };
  for (const s of series) {
    const match = METRIC.exec(s.name);
    if (!match) continue;
    const histogram = of(s);
    const scale = msPerUnit(s.name);
    if (match[2] === 'count') histogram.count += s.value;
    else if (match[2] === 'sum') histogram.sumMs += s.value * scale;
    else {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le) * scale;
      histogram.buckets.set(le, (histogram.buckets.get(le) ?? 0) + s.value);
    }
  }
  return snapshot;
}

function minus(after: Histogram, before: Histogram | undefined): Histogram {
  const buckets = new Map<number, number>();
  for (const [le, count] of after.buckets) buckets.set(le, count - (before?.buckets.get(le) ?? 0));
  return { buckets, sumMs: after.sumMs - (before?.sumMs ?? 0), count: after.count - (before?.count ?? 0) };
}

function add(into: Histogram, more: Histogram): void {
  for (const [le, count] of more.buckets) into.buckets.set(le, (into.buckets.get(le) ?? 0) + count);
  into.sumMs += more.sumMs;
  into.count += more.count;
}

/** As Prometheus's histogram_quantile: the bucket holding the rank, linear within it; its lower bound when that is the +Inf bucket. */
function quantile(histogram: Histogram, q: number): number {
  const bounds = [...histogram.buckets.keys()].sort((a, b) => a - b);
  const total = histogram.buckets.get(Infinity) ?? histogram.count;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const le of bounds) {
    const cumulative = histogram.buckets.get(le)!;
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, cumulative - below);
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}

function latencyOf(operation: string, histogram: Histogram): PersistenceLatency {
  return {
    operation,
    calls: histogram.count,
    meanMs: histogram.count ? histogram.sumMs / histogram.count : Number.NaN,
    p50Ms: quantile(histogram, 0.5),
    p99Ms: quantile(histogram, 0.99),
    totalMs: histogram.sumMs,
  };
}

/** What happened between the two snapshots: every operation together (`all`), and each, most time first. */
export function persistenceBetween(before: PersistenceSnapshot, after: PersistenceSnapshot): { all: PersistenceLatency; operations: PersistenceLatency[] } {
  const all: Histogram = { buckets: new Map(), sumMs: 0, count: 0 };
  const operations: PersistenceLatency[] = [];
  for (const [operation, histogram] of after) {
    const delta = minus(histogram, before.get(operation));
    if (delta.count <= 0) continue;
    add(all, delta);
    operations.push(latencyOf(operation, delta));
  }
  operations.sort((a, b) => b.totalMs - a.totalMs);
  return { all: latencyOf('all', all), operations };
}
