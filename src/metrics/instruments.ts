/**
 * The three kinds of instrument, Prometheus's: a counter only goes up, a gauge goes up and down,
 * a histogram counts observations into buckets. Each holds one series per set of label values.
 * Recording never throws: a metric must never fail the work it measures.
 */

/** Label values by label name; the names are the instrument's, all of them given. */
export type Labels<L extends string> = { readonly [name in L]: string };

/** One series as the exposition writes it: its label values and its value. */
export interface Sample {
  /** Suffix of the metric's name (`_bucket`, `_sum`, `_count` of a histogram); none for counters and gauges. */
  suffix?: string;
  labels: [string, string][];
  value: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  samples(): Sample[];
}

/** Series by the label values in the order of the instrument's names (a JSON array as the key). */
class Series<L extends string, V> {
  private readonly byKey = new Map<string, { values: string[]; state: V }>();
  private readonly labelNames: readonly L[];
  private readonly fresh: () => V;

  constructor(labelNames: readonly L[], fresh: () => V) {
    this.labelNames = labelNames;
    this.fresh = fresh;
  }

  get(labels: Labels<L> | undefined): V {
    const values = this.labelNames.map((name) => String(labels?.[name] ?? ''));
    const key = JSON.stringify(values);
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { values, state: this.fresh() };
      this.byKey.set(key, entry);
    }
    return entry.state;
  }

  *entries(): Generator<[[string, string][], V]> {
    // A series without labels exists from the start: a counter reads 0 before its first event.
    if (this.labelNames.length === 0 && this.byKey.size === 0) this.get(undefined);
    for (const { values, state } of this.byKey.values()) yield [this.labelNames.map((name, i) => [name, values[i]!]), state];
  }
}

abstract class Instrument<L extends string> implements Metric {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];

  constructor(name: string, help: string, labelNames: readonly L[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  abstract samples(): Sample[];
}

export class Counter<L extends string = never> extends Instrument<L> {
  readonly type = 'counter';
  private readonly series = new Series<L, { value: number }>(this.labelNames, () => ({ value: 0 }));

  /** Adds `by` (default 1); a negative or non-finite amount is ignored (a counter never goes down). */
  inc(...[labels, by = 1]: [L] extends [never] ? [labels?: undefined, by?: number] : [labels: Labels<L>, by?: number]): void {
    if (!(by >= 0) || !Number.isFinite(by)) return;
    this.series.get(labels as Labels<L> | undefined).value += by;
  }

  samples(): Sample[] {
    return [...this.series.entries()].map(([labels, { value }]) => ({ labels, value }));
  }
}

export class Gauge<L extends string = never> extends Instrument<L> {
  readonly type = 'gauge';
  private readonly series = new Series<L, { value: number }>(this.labelNames, () => ({ value: 0 }));

  inc(...[labels, by = 1]: [L] extends [never] ? [labels?: undefined, by?: number] : [labels: Labels<L>, by?: number]): void {
    if (Number.isFinite(by)) this.series.get(labels as Labels<L> | undefined).value += by;
  }

  dec(...[labels, by = 1]: [L] extends [never] ? [labels?: undefined, by?: number] : [labels: Labels<L>, by?: number]): void {
    if (Number.isFinite(by)) this.series.get(labels as Labels<L> | undefined).value -= by;
  }

  samples(): Sample[] {
    return [...this.series.entries()].map(([labels, { value }]) => ({ labels, value }));
  }
}

/** Upper bounds in seconds, for request and call latencies: 5 ms to 1 min. */
export const LATENCY_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Histogram<L extends string = never> extends Instrument<L> {
  readonly type = 'histogram';
  /** Upper bounds, ascending; `+Inf` is implied. */
  readonly buckets: readonly number[];
  private readonly series: Series<L, { counts: number[]; sum: number; count: number }>;

  constructor(name: string, help: string, labelNames: readonly L[], buckets: readonly number[] = LATENCY_BUCKETS) {
    super(name, help, labelNames);
    if (buckets.length === 0 || buckets.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1]!))) {
      throw new Error(`Histogram ${name}: buckets must be finite and ascending, got ${JSON.stringify(buckets)}.`);
    }
    this.buckets = buckets;
    this.series = new Series(labelNames, () => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
  }

  observe(...[labels, value]: [L] extends [never] ? [labels: undefined, value: number] : [labels: Labels<L>, value: number]): void {
    if (Number.isNaN(value)) return;
    const series = this.series.get(labels as Labels<L> | undefined);
    // Counts per bucket, not cumulative: the exposition adds them up.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) series.counts[index]! += 1;
    series.sum += value;
    series.count += 1;
  }

  samples(): Sample[] {
    return [...this.series.entries()].flatMap(([labels, { counts, sum, count }]) => {
      let cumulative = 0;
      const buckets = this.buckets.map((bound, i): Sample => {
        cumulative += counts[i]!;
        return { suffix: '_bucket', labels: [...labels, ['le', String(bound)]], value: cumulative };
      });
      return [...buckets, { suffix: '_bucket', labels: [...labels, ['le', '+Inf']], value: count }, { suffix: '_sum', labels, value: sum }, { suffix: '_count', labels, value: count }];
    });
  }
}

/** A value its owner keeps (a lane's counters, say), read when the metrics are scraped. */
export class ReadMetric implements Metric {
  readonly type: 'counter' | 'gauge';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[] = [];
  read: () => number;

  constructor(name: string, help: string, type: 'counter' | 'gauge', read: () => number) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.read = read;
  }

  samples(): Sample[] {
    try {
      return [{ labels: [], value: this.read() }];
    } catch {
      // The owner could not tell (closed, say): no sample rather than no metrics at all.
      return [];
    }
  }
}
