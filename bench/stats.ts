/**
 * Shared helpers of the benchmarks: percentiles over repeated measurements, a plain-text table,
 * and the machine line (core count) every benchmark prints first.
 */
import os from 'node:os';

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  return {
    n,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    min: n ? Math.min(...values) : Number.NaN,
    max: n ? Math.max(...values) : Number.NaN,
    mean: n ? values.reduce((a, b) => a + b, 0) / n : Number.NaN,
  };
}

/** Rounds for display and JSON: 2 decimals below 10, 1 below 1000, else whole numbers. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) < 10 ? 2 : Math.abs(value) < 1000 ? 1 : 0;
  return Number(value.toFixed(digits));
}

/** Prints rows as an aligned table; columns are the keys of the first row. */
export function printTable(rows: readonly Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) => columns.map((column) => {
    const value = row[column];
    return typeof value === 'number' ? String(round(value)) : String(value ?? '');
  }));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((value, i) => value.padStart(widths[i]!)).join('  ');
  console.log(line(columns));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells) console.log(line(row));
}

export function machine(): { cores: number; node: string; platform: string } {
  return { cores: os.availableParallelism(), node: process.version, platform: `${os.platform()}-${os.arch()}` };
}

export function printMachine(): void {
  const m = machine();
  console.log(`machine: ${m.cores} cores (os.availableParallelism), Node ${m.node}, ${m.platform}`);
}
