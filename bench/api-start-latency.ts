/**
 * Start latency of `POST /workflows/{id}/runs` with `stream=false&background=true` (→ 202), at
 * each of the given numbers of concurrent clients (default 1, 20 and 100), against two in-process
 * baselines on the same Temporal dev server: a plain `client.workflow.start` of the same one-step
 * run (no memo, no search attributes) and `engine.startRun` (what the route calls, minus HTTP and
 * validation); plus the same route with an invalid body (422: HTTP, parsing and validation, no
 * Temporal call). The ratio column is each mode's p50 over the plain start's p50. The modes are interleaved request by request, so all see
 * the same load. The model replies at once; the worker runs in this process too (as the harness
 * has it), and each phase waits for its runs to end before the next one starts.
 *
 *   node bench/api-start-latency.ts [requests=200] [clients=1,20,100]
 *
 * `clients` is a comma-separated list; a single number N means `1,N` (as before).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent } from '../src/definitions/agent.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import type { RunInput } from '../src/contracts/plan.ts';
import { Step } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { RUN_WORKFLOW_TYPE } from '../src/contracts/run-workflow-api.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { postForm } from '../test/support/http.ts';
import { machine, printMachine, printTable, round, summarize } from './stats.ts';

const requests = Number(process.argv[2] ?? 200);
const listed = (process.argv[3] ?? '1,20,100').split(',').map(Number);
const clientCounts = listed.length === 1 && listed[0] !== 1 ? [1, listed[0]!] : listed;
const WARMUP = 10;
const PHASE_TIMEOUT_MS = 180_000;

const workflow = new Workflow({
  name: 'Instant',
  steps: [new Step({ name: 'Answer', agent: new Agent({ name: 'Instant Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});

const h = await startApiHarness([workflow]);
try {
  h.openai.setHandler(() => ({ kind: 'text', text: 'ok' }));
  const plan = workflow.toPlan();
  const url = `${h.api.url}/workflows/${workflow.id}/runs`;

  /** One start; resolves to the run id (none for the request that starts nothing). */
  const modes: Record<string, () => Promise<string | undefined>> = {
    'temporal start': async () => {
      const workflowId = randomUUID();
      const args: [RunInput] = [{ plan, input: 'go', sessionId: randomUUID() }];
      await h.engine.client.workflow.start(RUN_WORKFLOW_TYPE, { workflowId, taskQueue: h.taskQueue, args });
      return workflowId;
    },
    'engine.startRun': async () => (await h.engine.startRun(workflow.toPlan(), { input: 'go' })).output.run_id,
    'HTTP POST 202': async () => {
      const response = await postForm(url, { message: 'go', stream: 'false', background: 'true' });
      if (response.status !== 202) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { run_id: string }).run_id;
    },
    // The same route with a bad body: HTTP, body parsing and validation, no Temporal call.
    'HTTP POST 422': async () => {
      const response = await postForm(url, { message: 'go', stream: 'maybe', background: 'true' });
      if (response.status !== 422) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return undefined;
    },
  };

  const names = Object.keys(modes);
  /**
   * `perMode` starts of every mode by `clients` concurrent clients, the modes interleaved request
   * by request so that all of them see the same load; latencies in ms. Waits for the runs to end.
   */
  async function phase(perMode: number, clients: number) {
    const latencies = new Map(names.map((name) => [name, [] as number[]]));
    const runIds: string[] = [];
    const total = perMode * names.length;
    let issued = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (issued < total && performance.now() - began < PHASE_TIMEOUT_MS) {
          const name = names[issued++ % names.length]!;
          const t0 = performance.now();
          const runId = await modes[name]!();
          if (runId) runIds.push(runId);
          latencies.get(name)!.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - began) / 1000;
    const ended = Promise.allSettled(runIds.map((id) => h.engine.client.workflow.getHandle(id).result()));
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, PHASE_TIMEOUT_MS).unref())]);
    return { latencies, seconds, started: runIds.length };
  }

  printMachine();
  console.log(`${requests} starts per mode at ${clientCounts.join(', ')} concurrent client(s), modes interleaved; model replies at once ...`);
  await phase(WARMUP, 1);

  const rows: Record<string, string | number>[] = [];
  const phases: { clients: number; startsPerSecond: number }[] = [];
  for (const clients of clientCounts) {
    const { latencies, seconds, started } = await phase(requests, clients);
    const baseline = summarize(latencies.get('temporal start')!).p50;
    for (const [mode, values] of latencies) {
      const s = summarize(values);
      rows.push({ clients, mode, n: s.n, 'p50 ms': round(s.p50), 'p99 ms': round(s.p99), 'max ms': round(s.max), 'p50 / temporal': round(s.p50 / baseline) });
    }
    phases.push({ clients, startsPerSecond: round(started / seconds) });
  }
  console.log();
  printTable(rows);
  console.log(`runs started per second (the three starting modes together, 422s interleaved): ${phases.map((p) => `${p.clients} client(s) ${p.startsPerSecond} starts/s`).join(', ')}`);
  console.log(JSON.stringify({ bench: 'api-start-latency', ...machine(), requests, clients: clientCounts, rows, phases }));
} finally {
  await h.close();
}
