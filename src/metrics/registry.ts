/**
 * The metrics of one process, by name: the instruments its parts record into, and their
 * exposition for a scraper. Declaring a metric that exists returns it, so the parts of one
 * process (the API and the worker of `npm start`, several apps in a test) share its series;
 * declaring it again with another type or other labels is a programming error and throws.
 */
import { Counter, Gauge, Histogram, ReadMetric } from './instruments.ts';
import type { Metric } from './instruments.ts';
import { exposition } from './exposition.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.declareOnce(name, labelNames, Counter, () => new Counter<L>(name, help, labelNames));
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.declareOnce(name, labelNames, Gauge, () => new Gauge<L>(name, help, labelNames));
  }

  histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], buckets?: readonly number[]): Histogram<L> {
    return this.declareOnce(name, labelNames, Histogram, () => new Histogram<L>(name, help, labelNames, buckets));
  }

  /**
   * A counter or gauge whose value its owner keeps, read at each scrape. Declared again, the new
   * reader replaces the old one: the value follows the owner of the moment.
   */
  read(name: string, help: string, type: 'counter' | 'gauge', read: () => number): void {
    const existing = this.declareOnce(name, [], ReadMetric, () => new ReadMetric(name, help, type, read));
    if (existing.type !== type) throw new Error(`Metric ${name} is declared as a ${existing.type}, not a ${type}.`);
    existing.read = read;
  }

  /** Every metric in the text format Prometheus scrapes. */
  exposition(): string {
    return exposition(this.metrics.values());
  }

  private declareOnce<M extends Metric>(name: string, labelNames: readonly string[], kind: abstract new (...args: never[]) => M, create: () => M): M {
    const existing = this.metrics.get(name);
    if (existing) {
      if (!(existing instanceof kind) || existing.labelNames.join() !== labelNames.join()) {
        throw new Error(`Metric ${name} is declared already, as a ${existing.type} with labels [${existing.labelNames.join(', ')}].`);
      }
      return existing;
    }
    if (!METRIC_NAME.test(name)) throw new Error(`Invalid metric name ${JSON.stringify(name)}.`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le') throw new Error(`Metric ${name}: invalid label name ${JSON.stringify(label)}.`);
    }
    const metric = create();
    this.metrics.set(name, metric);
    return metric;
  }
}
