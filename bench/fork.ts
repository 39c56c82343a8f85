/**
 * Forking a long run near its end: a completed Loop of N iterations of an agent step (one model
 * call each, to the fake OpenAI), forked at iteration N-1. What the fork costs — the time until
 * it is started (the source's whole log read, the part before the fork point archived under the
 * fork's id), and until it completes, with the two reads the start is made of timed alone (and
 * the input query it no longer makes, for comparison) — and
 * the model calls it makes: only those of the iterations from the fork point on. The source continues as new several times on the way, so
 * its log spans several executions.
 *
 *   node bench/fork.ts [--iterations 2000] [--forks 3]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent } from '../src/definitions/agent.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import { Loop } from '../src/definitions/primitives.ts';
import { Step } from '../src/definitions/step.ts';
import { inputQuery } from '../src/contracts/run-workflow-api.ts';
import { queryClosedRun } from '../src/engine/query-run.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startHarness } from '../test/support/harness.ts';
import { machine, printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '2000' }, forks: { type: 'string', default: '3' } } });
const iterations = Number(values.iterations);
const forks = Number(values.forks);
const forkAt = iterations - 1;

const polish = new Step({ name: 'Polish', agent: new Agent({ name: 'Polisher', model: new OpenAIResponses({ id: 'gpt-5.2' }), role: 'Polishes text' }) });
const workflow = new Workflow({ name: 'Long Polish', steps: [new Loop({ name: 'Repeat', maxIterations: iterations, steps: [polish] })] });

printMachine();
const h = await startHarness();
try {
  await h.startWorker([workflow]);
  h.openai.setHandler(() => ({ kind: 'text', text: 'polished' }));
  console.log(`a Loop of ${iterations} agent steps (one model call each) ...`);
  const sourceStarted = performance.now();
  const run = await workflow.arun({ input: 'draft', engine: h.engine, background: true });
  const source = await h.engine.waitForRun(run.run_id);
  if (source.status !== 'COMPLETED') throw new Error(`the source ended ${source.status}: ${source.error}`);
  const sourceMs = performance.now() - sourceStarted;
  let executions = 0;
  for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${run.run_id}'` })) executions++;
  const sourceCalls = h.openai.requests.length;
  console.log(`source: ${sourceCalls} model calls, ${executions} executions, ${Math.round(sourceMs / 1000)} s`);

  const samples = { started: [] as number[], completed: [] as number[], inputRead: [] as number[], inputQuery: [] as number[], logRead: [] as number[] };
  const calls: number[] = [];
  let carried = 0;
  for (let i = 0; i < forks; i++) {
    const before = h.openai.requests.length;
    const began = performance.now();
    const { output, point } = await h.engine.forkRun(run.run_id, { stepName: 'Repeat', iteration: forkAt });
    samples.started.push(performance.now() - began);
    carried = point.cut;
    const done = await h.engine.waitForRun(output.run_id);
    samples.completed.push(performance.now() - began);
    if (done.status !== 'COMPLETED') throw new Error(`the fork ended ${done.status}: ${done.error}`);
    calls.push(h.openai.requests.length - before);
    // The two reads a fork's start is made of, alone: the source's input and its whole log, both
    // from the run store; and, for comparison, the input query a fork made before the store kept
    // inputs (a replay of the source's last execution on the worker), which runs without one still make.
    const kept = performance.now();
    if (!(await h.engine.runStore?.getRunInput(run.run_id))) throw new Error('the run store kept no input of the source');
    samples.inputRead.push(performance.now() - kept);
    const queried = performance.now();
    await queryClosedRun(h.engine.client, run.run_id, inputQuery);
    samples.inputQuery.push(performance.now() - queried);
    const read = performance.now();
    for await (const _ of h.engine.readEventLog(run.run_id, { mode: 'snapshot' }));
    samples.logRead.push(performance.now() - read);
  }
  const row = (what: string, values: number[]) => {
    const s = summarize(values);
    return { fork: what, 'p50 ms': s.p50, 'max ms': s.max };
  };
  const rows = [
    row('started (202)', samples.started),
    row('completed', samples.completed),
    row('of which: input read alone (run store)', samples.inputRead),
    row('of which: whole log read alone', samples.logRead),
    row('not made: the input query (runs the store has no input of)', samples.inputQuery),
  ];
  printTable(rows);
  const expected = iterations - forkAt + 1;
  console.log(`fork at iteration ${forkAt} of ${iterations}: ${carried} events carried; model calls per fork ${calls.join(', ')} (expected ${expected}, the source made ${sourceCalls})`);
  console.log(JSON.stringify({ bench: 'fork', ...machine(), iterations, forkAt, forks, sourceExecutions: executions, sourceCalls, carriedEvents: carried, modelCallsPerFork: calls, rows }));
  if (calls.some((count) => count !== expected)) process.exitCode = 1;
} finally {
  await h.close();
}
