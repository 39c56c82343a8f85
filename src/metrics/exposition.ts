/**
 * Prometheus's text exposition format (version 0.0.4), what every Prometheus-compatible scraper
 * reads: per metric a `# HELP` and a `# TYPE` line, then one line per series,
 * `name{label="value",...} number`.
 */
import type { Metric } from './instruments.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The metrics as one exposition text, each metric once, in the order given. */
export function exposition(metrics: Iterable<Metric>): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples()) {
      const labels = sample.labels.length ? `{${sample.labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}` : '';
      lines.push(`${metric.name}${sample.suffix ?? ''}${labels} ${formatValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
