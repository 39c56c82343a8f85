/**
 * Shared helpers of the benchmarks: percentiles over repeated measurements, a plain-text table,
 * and the machine line (core count) every benchmark prints first; for the end-to-end ones, the
 * fake model's latency, history sizes, worker child processes and their CPU and memory from /proc.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import type { FakeReply } from '../test/fakes/openai.ts';

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

// ---- shared by the end-to-end benchmarks ---------------------------------------------------------


/** The same reply, sent after `delayMs` (the model's latency before its first byte). */
export function withLatency(reply: FakeReply, delayMs: number): FakeReply {
  return delayMs > 0 && (reply.kind === 'text' || reply.kind === 'tool_calls') ? { ...reply, delayMs } : reply;
}

/** Size of a history as Temporal stores and sends it (protobuf-encoded), in bytes. */
export function historyBytes(history: temporal.api.history.v1.IHistory): number {
  return proto.temporal.api.history.v1.History.encode(history).finish().length;
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/** utime + stime of one process (all its threads) in seconds, from /proc/<pid>/stat; NaN if gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** Every process of the machine now: its parent and CPU seconds so far (utime + stime), from /proc/<pid>/stat. */
export function processTable(): Map<number, { ppid: number; cpuSeconds: number }> {
  const table = new Map<number, { ppid: number; cpuSeconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicks() });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** The pid and its descendants (a wrapper such as a pyenv shim may run the real server as a child), in `table` (default: now). */
export function processTree(pid: number, table = processTable()): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length && tree.length < 1000; i++) {
    for (const [child, { ppid }] of table) if (ppid === tree[i]) tree.push(child);
  }
  return tree;
}

/** CPU seconds of a process tree (living members only). */
export function treeCpuSeconds(pids: readonly number[]): number {
  return pids.map(processCpuSeconds).filter(Number.isFinite).reduce((a, b) => a + b, 0);
}

/** CPU seconds all processes of the machine spent busy (user, nice, system, irq, softirq, steal), from /proc/stat. */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}

/**
 * A process's proportional set size in MB (/proc/<pid>/smaps_rollup): its RSS with each shared page
 * divided among the processes sharing it, so a tree's sum counts PostgreSQL's shared buffers once,
 * not once per backend. NaN if gone or unreadable (another user's process, unless root).
 */
export function processPssMb(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A `VmRSS` / `VmHWM` (peak) figure of /proc/<pid>/status, in MB; NaN if gone. */
export function processMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export const WORKER_ENTRY = fileURLToPath(new URL('../src/entrypoints/worker.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** performance.now() when the worker printed `worker ready` (it polls from then on). */
  readyAt: number;
}

/**
 * Starts a worker entry point as a child process with `env`: by default the real one
 * (`node src/entrypoints/worker.ts`: the app's workflows). Resolves once it prints `worker ready`,
 * or fails after `timeoutMs`.
 */
export function startWorkerProcess(env: NodeJS.ProcessEnv, options: { entry?: string; timeoutMs?: number } = {}): Promise<WorkerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [options.entry ?? WORKER_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker was not ready within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    let ready = false;
    // Keep draining its output after it is ready, so it never blocks on a full pipe.
    const collect = (chunk: Buffer) => {
      out = (out + String(chunk)).slice(-8000);
      if (!ready && out.includes('worker ready')) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, pid: child.pid!, readyAt: performance.now() });
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`the worker exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** Stops a worker child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopWorkerProcess(worker: WorkerProcess, graceMs = 10_000): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The last line of a benchmark's output that parses as a JSON object with a `bench` field. */
export function lastJsonLine(output: string): Record<string, unknown> | undefined {
  for (const line of output.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      if (typeof value.bench === 'string') return value;
    } catch {
      // not JSON after all
    }
  }
  return undefined;
}

/** Runs `work` on each item with at most `limit` at a time; results in item order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
