/**
 * End-to-end time of one content-creation run (start call → result, in-process worker, real
 * Temporal dev server, fake model answering after a fixed latency), against its critical path:
 * the model latencies on the longest chain of calls that wait for each other,
 *
 *   leader 1 → member 1 → (tool) → member 2 → leader 2 → planner  = 5 model calls
 *
 * (the two members run in parallel). The chain is not taken on trust: from the fake's request
 * arrival times the script finds the longest sequence of requests each of which arrived after the
 * one before it had been answered, and reports its length. Runs are sequential.
 *
 *   node bench/end-to-end.ts [--runs 20] [--latencies 0,250]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { machine, printMachine, printTable, round, summarize, withLatency } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, latencies: { type: 'string', default: '0,250' } } });
const RUNS = Number(values.runs);
const LATENCIES = values.latencies.split(',').map(Number);
const EXPECTED_CHAIN = 5;
const WARMUP = 2;
const RUN_TIMEOUT_MS = 60_000;
const DEADLINE = performance.now() + 6 * 60_000;

const h = await startHarness();
try {
  await h.startWorker([contentCreationWorkflow]);
  let latency = 0;
  // Request arrivals of the current run at the fake: when, and who called.
  let arrivals: { at: number; caller: string }[] = [];
  h.openai.setHandler((req) => {
    arrivals.push({ at: performance.now(), caller: callerOf(req) });
    return withLatency(contentCreationReply(req), latency);
  });

  /** Longest chain of requests each sent after the previous one was answered (arrival + latency). */
  function longestChain(): { length: number; callers: string[] } {
    const sorted = [...arrivals].sort((a, b) => a.at - b.at);
    const best: { length: number; callers: string[] }[] = [];
    for (const [j, request] of sorted.entries()) {
      let chain = { length: 1, callers: [request.caller] };
      for (let i = 0; i < j; i++) {
        // Of equally long chains, prefer one through the same caller (its own earlier turn).
        const longer = best[i]!.length + 1 > chain.length;
        const asLongAndSameCaller = best[i]!.length + 1 === chain.length && sorted[i]!.caller === request.caller;
        if (request.at >= sorted[i]!.at + latency && (longer || asLongAndSameCaller)) {
          chain = { length: best[i]!.length + 1, callers: [...best[i]!.callers, request.caller] };
        }
      }
      best.push(chain);
    }
    return best.reduce((a, b) => (b.length > a.length ? b : a), { length: 0, callers: [] });
  }

  printMachine();
  console.log(`${RUNS} sequential content-creation runs per model latency (${LATENCIES.join(', ')} ms) ...`);
  const rows: Record<string, string | number>[] = [];
  let chain: { length: number; callers: string[] } | undefined;
  let calls: Record<string, number> = {};
  for (const ms of LATENCIES) {
    latency = ms;
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS && performance.now() < DEADLINE; i++) {
      arrivals = [];
      const t0 = performance.now();
      const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run timed out')), RUN_TIMEOUT_MS).unref());
      const state = (await Promise.race([h.engine.client.workflow.getHandle(output.run_id).result(), timeout])) as { content?: string };
      if (state.content !== CONTENT_PLAN) throw new Error(`the run ended with ${JSON.stringify(state.content)}`);
      if (i >= WARMUP) times.push(performance.now() - t0);
      if (ms > 0) chain = longestChain();
      calls = {};
      for (const { caller } of arrivals) calls[caller] = (calls[caller] ?? 0) + 1;
    }
    const s = summarize(times);
    const critical = EXPECTED_CHAIN * ms;
    rows.push({
      'latency ms': ms,
      n: s.n,
      'p50 ms': s.p50,
      'p99 ms': s.p99,
      'critical path ms': critical,
      'p50 / critical': critical ? round(s.p50 / critical) : '-',
      'p99 / critical': critical ? round(s.p99 / critical) : '-',
      'p50 above critical ms': round(s.p50 - critical),
      'per call on chain ms': round((s.p50 - critical) / EXPECTED_CHAIN),
    });
  }
  console.log();
  printTable(rows);
  console.log(`model calls per run: ${JSON.stringify(calls)}`);
  if (chain) console.log(`longest chain measured from request times: ${chain.length} calls (${chain.callers.join(' → ')})${chain.length === EXPECTED_CHAIN ? '' : ` — EXPECTED ${EXPECTED_CHAIN}`}`);
  console.log(JSON.stringify({ bench: 'end-to-end', ...machine(), runs: RUNS, latencies: LATENCIES, criticalPathCalls: EXPECTED_CHAIN, measuredChain: chain ?? null, callsPerRun: calls, rows }));
} finally {
  await h.close();
}
