/**
 * Runs the benchmarks behind "durable with little overhead" one after another, each as its own
 * child process (its own Temporal dev server and fakes), prints one combined table and writes
 * every benchmark's JSON to bench/results.json.
 *
 *   node bench/run-all.ts            # about 8 minutes on 2 cores
 *   node bench/run-all.ts --quick    # fewer runs, under 3 minutes
 *   node bench/run-all.ts --only durable-floor,recovery   # re-runs these; keeps the others' results
 *
 * Each benchmark's own tables are printed as it runs; see docs/performance.md for what they mean.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { lastJsonLine, machine, machineBusySeconds, printMachine, round } from './stats.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

interface Bench {
  name: string;
  script: string;
  args: string[];
  /** Killed (with its process group) after this long. */
  timeoutMs: number;
}

const BENCHES: Bench[] = [
  { name: 'durable-floor', script: 'bench/durable-floor.ts', args: ['--runs', quick ? '5' : '20', '--latencies', '0,250'], timeoutMs: 5 * 60_000 },
  { name: 'end-to-end', script: 'bench/end-to-end.ts', args: ['--runs', quick ? '5' : '20', '--latencies', '0,250'], timeoutMs: 4 * 60_000 },
  { name: 'throughput', script: 'bench/throughput.ts', args: ['--runs', quick ? '50' : '200', '--latency', '250', '--rounds', quick ? '1' : '2'], timeoutMs: 6 * 60_000 },
  { name: 'recovery', script: 'bench/recovery.ts', args: ['--trials', quick ? '1' : '3', '--heartbeat', '2000', ...(quick ? ['--skip-default'] : [])], timeoutMs: 5 * 60_000 },
  { name: 'api-start-latency', script: 'bench/api-start-latency.ts', args: [quick ? '50' : '200', '1,20,100'], timeoutMs: 5 * 60_000 },
];

/** Runs one benchmark, echoing its output; resolves to its JSON line (or the reason it has none). */
/**
 * How busy the machine is with other work: % of all cores busy over `ms`, measured between
 * benchmarks (when none of ours runs). The machine may be shared with other test suites.
 */
async function otherLoad(ms = 2000): Promise<number> {
  const before = machineBusySeconds();
  await delay(ms);
  return round((100 * (machineBusySeconds() - before)) / ((ms / 1000) * machine().cores));
}

function runBench(bench: Bench, busyBefore: number): Promise<{ json?: Record<string, unknown>; error?: string; seconds: number; busyBefore: number }> {
  const began = performance.now();
  // A process group of its own, so a timeout also ends the dev server and workers it started.
  const child = spawn(process.execPath, [bench.script, ...bench.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let output = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += String(chunk);
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop()!;
    // Its JSON line goes to results.json; the tables are for the reader.
    for (const line of lines) if (!line.startsWith('{"bench"')) process.stdout.write(`${line}\n`);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, bench.timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Whatever of its group outlived it (a dev server left by a crash) goes with it.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // nothing left
      }
      const seconds = (performance.now() - began) / 1000;
      const json = lastJsonLine(output);
      const base = { json, seconds, busyBefore };
      if (timedOut) resolve({ ...base, error: `timed out after ${bench.timeoutMs / 1000} s` });
      else if (code !== 0) resolve({ ...base, error: `exited with ${code ?? signal}` });
      else if (!json) resolve({ ...base, error: 'printed no JSON line' });
      else resolve(base);
    });
  });
}

// ---- the combined table: one line per benchmark and setting ------------------------------------

type Row = Record<string, string | number>;
const num = (value: unknown) => (typeof value === 'number' ? round(value) : '?');

function summaryLines(name: string, json: Record<string, unknown>): { setting: string; figure: string }[] {
  const lines: { setting: string; figure: string }[] = [];
  const rows = (json.rows ?? []) as Row[];
  switch (name) {
    case 'durable-floor': {
      const comparison = (json.comparison ?? []) as Row[];
      for (const c of comparison) {
        const ms = c['latency ms'];
        const ours = rows.find((r) => r['latency ms'] === ms && String(r.workflow).startsWith('ours'));
        const floor = rows.find((r) => r['latency ms'] === ms && String(r.workflow).startsWith('floor'));
        lines.push({
          setting: `model latency ${ms} ms, n=${ours?.n ?? '?'} each`,
          figure: `ours p50 ${num(ours?.['p50 ms'])} / p99 ${num(ours?.['p99 ms'])} ms vs floor ${num(floor?.['p50 ms'])} / ${num(floor?.['p99 ms'])} ms: ×${num(c['ours/floor p50'])} (p99 ×${num(c['ours/floor p99'])}), ${num(c['per model call p50 ms'])} ms per model call`,
        });
      }
      const histories = (json.histories ?? []) as Row[];
      const ours = histories.find((r) => r.workflow === 'ours');
      const floor = histories.find((r) => r.workflow === 'floor');
      if (ours && floor) {
        lines.push({
          setting: 'history of one run',
          figure: `ours ${ours['history events']} events / ${ours['history KB']} KB (${ours.signals} signals, ${ours['workflow tasks']} workflow tasks) vs floor ${floor['history events']} / ${floor['history KB']} KB (${floor['workflow tasks']})`,
        });
      }
      break;
    }
    case 'end-to-end':
      for (const r of rows) {
        const ratio = r['p50 / critical'] === '-' ? '' : `: ×${r['p50 / critical']} of the ${r['critical path ms']} ms critical path (p99 ×${r['p99 / critical']})`;
        lines.push({ setting: `model latency ${r['latency ms']} ms, n=${r.n}`, figure: `p50 ${num(r['p50 ms'])} / p99 ${num(r['p99 ms'])} ms${ratio}; ${num(r['per call on chain ms'])} ms per call on the chain above the model's time` });
      }
      break;
    case 'throughput':
      for (const r of rows) {
        lines.push({
          setting: `${r.runs} concurrent runs, ${json.latencyMs} ms latency: ${r.workflow}${Number(json.rounds) > 1 ? `, round ${r.round}` : ''}`,
          figure: `${r.completed}/${r.runs} in ${r['wall s']} s (${r['runs/s']} runs/s), run p50 ${r['run p50 s']} / p99 ${r['run p99 s']} s; worker CPU ${r['worker CPU s']} s (${r['worker CPU %']}% of a core, ${r['worker CPU ms/run']} ms/run), RSS ${r['RSS idle MB']} → peak ${r['RSS peak MB']} MB; Temporal CPU ${r['temporal CPU s']} s; rest of the machine ${r['other CPU s']} CPU s`,
        });
      }
      break;
    case 'recovery':
      for (const r of rows) {
        lines.push({
          setting: `SIGKILL mid-model-call, heartbeat ${r.heartbeat}, n=${r.trials}`,
          figure: `kill→new worker ready ${num(r['kill→ready ms'])} ms, ready→next activity done ${num(r['ready→next activity ms'])} ms, kill→next activity ${num(r['kill→next activity ms'])} ms; run done ${num(r['run delayed by ms'])} ms later than uninterrupted (${num(r['uninterrupted run ms'])} ms)`,
        });
      }
      break;
    case 'api-start-latency': {
      const phases = (json.phases ?? []) as Row[];
      const clients = [...new Set(rows.map((r) => r.clients))];
      for (const c of clients) {
        const post = rows.find((r) => r.clients === c && r.mode === 'HTTP POST 202');
        const plain = rows.find((r) => r.clients === c && r.mode === 'temporal start');
        const rate = phases.find((p) => p.clients === c)?.startsPerSecond;
        lines.push({
          setting: `${c} concurrent client(s), n=${post?.n ?? '?'}`,
          figure: `POST → 202 p50 ${num(post?.['p50 ms'])} / p99 ${num(post?.['p99 ms'])} ms; plain Temporal start p50 ${num(plain?.['p50 ms'])} ms (×${num(post?.['p50 / temporal'])}); ${num(rate)} starts/s`,
        });
      }
      break;
    }
  }
  return lines;
}

type Result = { json?: Record<string, unknown>; error?: string; seconds: number; busyBefore: number; command: string; at: string; commit: string; quick: boolean };

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  if (execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim()) commit += ' (with uncommitted changes)';
} catch {
  // not a git checkout
}

const selected = values.only ? BENCHES.filter((b) => values.only!.split(',').includes(b.name)) : BENCHES;
if (selected.length === 0) throw new Error(`--only names none of ${BENCHES.map((b) => b.name).join(', ')}`);
printMachine();
console.log(`running ${selected.map((b) => b.name).join(', ')}${quick ? ' (--quick)' : ''} ...`);
const began = performance.now();
// With --only, the other benchmarks' last results stay in results.json.
let results: Record<string, Result> = {};
if (values.only && existsSync(RESULTS)) {
  try {
    results = (JSON.parse(readFileSync(RESULTS, 'utf8')) as { benches?: Record<string, Result> }).benches ?? {};
  } catch {
    results = {};
  }
}
for (const bench of selected) {
  const command = `node ${bench.script} ${bench.args.join(' ')}`;
  console.log(`\n=== ${bench.name}: ${command}`);
  const busy = await otherLoad();
  console.log(`=== machine busy with other work just before: ${busy}% of all cores`);
  const at = new Date().toISOString();
  results[bench.name] = { ...(await runBench(bench, busy)), command, at, commit, quick };
  const r = results[bench.name]!;
  console.log(`=== ${bench.name}: ${r.error ? `FAILED (${r.error})` : 'done'} in ${round(r.seconds)} s`);
}

const m = machine();
const table: { benchmark: string; setting: string; figure: string }[] = [];
for (const { name } of BENCHES) {
  const r = results[name];
  if (!r) continue;
  if (r.json) for (const line of summaryLines(name, r.json)) table.push({ benchmark: name, ...line });
  if (r.busyBefore >= 10) table.push({ benchmark: name, setting: '(note)', figure: `the machine was ${r.busyBefore}% busy with other work just before it began` });
  if (r.error) table.push({ benchmark: name, setting: '-', figure: `FAILED: ${r.error}` });
}
console.log(`\n=== summary: ${m.cores} cores (os.availableParallelism), Node ${m.node}, ${m.platform}; ${round((performance.now() - began) / 1000)} s in all\n`);
const width = { benchmark: Math.max(9, ...table.map((t) => t.benchmark.length)), setting: Math.max(7, ...table.map((t) => t.setting.length)) };
console.log(`${'benchmark'.padEnd(width.benchmark)}  ${'setting'.padEnd(width.setting)}  figure`);
console.log(`${'-'.repeat(width.benchmark)}  ${'-'.repeat(width.setting)}  ------`);
for (const t of table) console.log(`${t.benchmark.padEnd(width.benchmark)}  ${t.setting.padEnd(width.setting)}  ${t.figure}`);

writeFileSync(RESULTS, `${JSON.stringify({ generatedAt: new Date().toISOString(), ...m, commit, summary: table, benches: results }, null, 2)}\n`);
console.log(`\nwrote ${RESULTS}`);
process.exit(selected.some((b) => results[b.name]?.error) ? 1 : 0);
