/**
 * Throughput: N content-creation runs started at once (7 model calls answering after a fixed
 * latency, 2 tool calls each), executed by one worker in a child process — the real entry point,
 * `node src/entrypoints/worker.ts`, serving src/app's content-creation workflow — so that its CPU
 * (utime + stime of all its threads, from /proc/<pid>/stat) and memory (VmRSS sampled every
 * 100 ms, VmHWM) are its own. The Temporal dev server's CPU and this process's (fakes, client)
 * are reported alongside. Then the same for the durable floor (bench/floor/: the same activities
 * on the bare SDK, its worker also a child process), for comparison.
 *
 * Completion time: first start call → last run completed. Run time: its start call → its result.
 *
 * The machine is shared with whatever else runs on it: `other CPU s` is the CPU time the rest of
 * the machine used meanwhile (all busy time in /proc/stat minus worker, dev server and this
 * process), so a disturbed measurement shows as one. `--rounds 2` measures both twice, alternating which goes first.
 *
 *   node bench/throughput.ts [--runs 200] [--latency 250] [--rounds 1] [--skip-floor]
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { FLOOR_WORKFLOW_TYPE, floorReply, isFloorRequest } from './floor/worker.ts';
import {
  machine,
  machineBusySeconds,
  printMachine,
  printTable,
  processCpuSeconds,
  processMemoryMb,
  processTree,
  round,
  startWorkerProcess,
  stopWorkerProcess,
  summarize,
  treeCpuSeconds,
  withLatency,
} from './stats.ts';
import type { WorkerProcess } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    latency: { type: 'string', default: '250' },
    rounds: { type: 'string', default: '1' },
    'skip-floor': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);
const LATENCY = Number(values.latency);
const PHASE_TIMEOUT_MS = 4 * 60_000;
const FLOOR_ENTRY = fileURLToPath(new URL('./floor/main.ts', import.meta.url));

const h = await startHarness();
let worker: WorkerProcess | undefined;
try {
  h.openai.setHandler((req) => withLatency(isFloorRequest(req) ? floorReply(req) : contentCreationReply(req), LATENCY));
  const floorQueue = `floor-${randomUUID()}`;
  const temporalPids = processTree(h.temporal.process.pid!);

  const kinds = {
    ours: {
      label: 'ours (content-creation)',
      start: () => startWorkerProcess(h.env),
      async run(): Promise<void> {
        const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
        const state = (await h.engine.client.workflow.getHandle(output.run_id).result()) as { content?: string };
        if (state.content !== CONTENT_PLAN) throw new Error(`a run ended with ${JSON.stringify(state.content)}`);
      },
    },
    floor: {
      label: 'floor (bare SDK)',
      start: () => startWorkerProcess({ ...h.env, FLOOR_TASK_QUEUE: floorQueue }, { entry: FLOOR_ENTRY }),
      async run(): Promise<void> {
        const handle = await h.engine.client.workflow.start(FLOOR_WORKFLOW_TYPE, { workflowId: randomUUID(), taskQueue: floorQueue, args: ['AI trends in 2024'] });
        const content = await handle.result();
        if (content !== CONTENT_PLAN) throw new Error(`a floor run ended with ${JSON.stringify(content)}`);
      },
    },
  };

  async function phase(kind: keyof typeof kinds) {
    const k = kinds[kind];
    worker = await k.start();
    for (let i = 0; i < 3; i++) await k.run(); // warm-up: workflow bundle loaded, JIT warm
    await delay(1000);
    h.openai.reset();
    const rssIdle = processMemoryMb(worker.pid, 'VmRSS');
    const cpu0 = { worker: processCpuSeconds(worker.pid), temporal: treeCpuSeconds(temporalPids), self: process.cpuUsage(), machine: machineBusySeconds() };
    let rssPeak = rssIdle;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, processMemoryMb(worker!.pid, 'VmRSS') || 0);
    }, 100);
    const durations: number[] = [];
    let failed = 0;
    const began = performance.now();
    let lastStart = began;
    const all = Promise.all(
      Array.from({ length: RUNS }, async () => {
        const t0 = performance.now();
        try {
          await k.run();
          durations.push(performance.now() - t0);
        } catch (err) {
          failed += 1;
          if (failed === 1) console.error(`${kind}: ${String(err)}`);
        }
        lastStart = Math.max(lastStart, t0);
      }),
    );
    const timedOut = await Promise.race([all.then(() => false), delay(PHASE_TIMEOUT_MS, true, { ref: false })]);
    const seconds = (performance.now() - began) / 1000;
    clearInterval(sampler);
    const self = process.cpuUsage(cpu0.self);
    const cpu = {
      worker: processCpuSeconds(worker.pid) - cpu0.worker,
      temporal: treeCpuSeconds(temporalPids) - cpu0.temporal,
      self: (self.user + self.system) / 1e6,
      machine: machineBusySeconds() - cpu0.machine,
    };
    const hwm = processMemoryMb(worker.pid, 'VmHWM');
    await stopWorkerProcess(worker);
    worker = undefined;
    const s = summarize(durations);
    return {
      workflow: k.label,
      runs: RUNS,
      completed: durations.length,
      failed: failed + (timedOut ? RUNS - durations.length - failed : 0),
      'wall s': round(seconds),
      'runs/s': round(durations.length / seconds),
      'run p50 s': round(s.p50 / 1000),
      'run p99 s': round(s.p99 / 1000),
      'worker CPU s': round(cpu.worker),
      'worker CPU %': round((100 * cpu.worker) / seconds),
      'worker CPU ms/run': round((1000 * cpu.worker) / RUNS),
      'RSS idle MB': round(rssIdle),
      'RSS peak MB': round(rssPeak),
      'VmHWM MB': round(hwm),
      'temporal CPU s': round(cpu.temporal),
      'bench CPU s': round(cpu.self),
      'other CPU s': round(Math.max(0, cpu.machine - cpu.worker - cpu.temporal - cpu.self)),
    };
  }

  printMachine();
  console.log(`${RUNS} runs started at once, model latency ${LATENCY} ms, one worker child process ...`);
  const rows: ({ round: number } & Awaited<ReturnType<typeof phase>>)[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first: the dev server slows down a little as it accumulates runs.
    const order: (keyof typeof kinds)[] = values['skip-floor'] ? ['ours'] : i % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
    for (const kind of order) rows.push({ round: i + 1, ...(await phase(kind)) });
  }
  console.log();
  printTable(rows);
  console.log(`CPU %: of one core (the machine has ${machine().cores}). temporal: the dev server; bench: this process (fakes and client); other: the rest of the machine meanwhile.`);
  console.log(JSON.stringify({ bench: 'throughput', ...machine(), runs: RUNS, latencyMs: LATENCY, rounds: ROUNDS, workflow: 'content-creation', rows }));
} finally {
  if (worker) await stopWorkerProcess(worker);
  await h.close();
}
