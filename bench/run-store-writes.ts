/**
 * What writing runs to the run store adds to Temporal: per run, history events and bytes (as
 * Temporal stores them: claims, not the payloads they name), activities scheduled, Actions (the
 * dev server's own `action` metric: what Temporal Cloud bills) of the run alone and of one read of
 * it once ended, and the largest activity input, for a content-creation run and for an agent of
 * many tool turns. Run it on two commits to compare; it needs nothing of the run store, so it runs
 * on code from before it too.
 *
 *   node bench/run-store-writes.ts [--runs 5] [--turns 30]
 */
import { parseArgs } from 'node:util';
import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { Agent } from '../src/definitions/agent.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import { Step } from '../src/definitions/step.ts';
import { defineTool } from '../src/definitions/tool.ts';
import { Workflow } from '../src/os/workflow.ts';
import type { FakeReply, FakeRequest } from '../test/fakes/openai.ts';
import { contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { actionsSoFar } from './temporal-actions.ts';
import { machine, printMachine, printTable, summarize } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, turns: { type: 'string', default: '30' } } });
const RUNS = Number(values.runs);
const TURNS = Number(values.turns);

const lookUp = defineTool<{ n: number }>({
  name: 'look_up',
  description: 'Looks up fact n.',
  parameters: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  execute: ({ n }) => `fact ${n}: ${'x'.repeat(200)}`,
});
const researcher = new Workflow({
  name: 'Researcher',
  steps: [new Step({ name: 'Research', agent: new Agent({ name: 'Researcher', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [lookUp], maxTurns: TURNS + 5 }) })],
});
function researcherReply(req: FakeRequest): FakeReply {
  const next = req.toolResults.length + 1;
  return next <= TURNS ? { kind: 'tool_calls', calls: [{ name: 'look_up', arguments: { n: next } }] } : { kind: 'text', text: `Found ${TURNS} facts.` };
}


interface RunCost {
  actions: number;
  readActions: number;
  events: number;
  bytes: number;
  activities: number;
  largestInput: number;
}

/** The run's one execution, read raw (claims as Temporal stores them). */
async function costOf(client: Client, runId: string): Promise<RunCost> {
  const cost: RunCost = { actions: 0, readActions: 0, events: 0, bytes: 0, activities: 0, largestInput: 0 };
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId: runId }, nextPageToken });
    for (const event of page.history?.events ?? []) {
      cost.events += 1;
      cost.bytes += proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().byteLength;
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        cost.activities += 1;
        const input = proto.temporal.api.common.v1.Payloads.encode(scheduled.input ?? {}).finish().byteLength;
        cost.largestInput = Math.max(cost.largestInput, input);
      }
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return cost;
}

const h = await startHarness();
const metricsUrl = h.temporal.metricsUrl;
try {
  await h.startWorker([contentCreationWorkflow, researcher]);
  const rows: Record<string, string | number>[] = [];
  for (const [name, workflow, reply] of [
    ['content creation', contentCreationWorkflow, contentCreationReply],
    [`agent of ${TURNS} tool turns`, researcher, researcherReply],
  ] as const) {
    h.openai.setHandler(reply);
    const costs: RunCost[] = [];
    for (let i = 0; i < RUNS; i++) {
      const before = await actionsSoFar(metricsUrl);
      const { output } = await h.engine.startRun(workflow.toPlan(), { input: 'AI trends in 2024' });
      // Its result, not a read: a read of the run costs Actions of its own, counted next.
      await h.engine.client.workflow.getHandle(output.run_id).result();
      const ended = await actionsSoFar(metricsUrl);
      const done = await h.engine.getRun(output.run_id);
      const read = await actionsSoFar(metricsUrl);
      if (done?.status !== 'COMPLETED') throw new Error(`run ${output.run_id} ended ${done?.status}: ${done?.error}`);
      costs.push({ ...(await costOf(h.engine.client, output.run_id)), actions: ended - before, readActions: read - ended });
    }
    const p50 = (key: keyof RunCost) => summarize(costs.map((cost) => cost[key])).p50;
    rows.push({
      run: name,
      'history events': p50('events'),
      'history KB': p50('bytes') / 1024,
      activities: p50('activities'),
      Actions: p50('actions'),
      'Actions of a GET once ended': p50('readActions'),
      'largest activity input KB': p50('largestInput') / 1024,
    });
  }
  printMachine();
  printTable(rows);
  console.log(JSON.stringify({ bench: 'run-store-writes', ...machine(), runs: RUNS, turns: TURNS, rows }));
} finally {
  await h.close();
}
