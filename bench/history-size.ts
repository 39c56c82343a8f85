/**
 * What runs leave in Temporal's history: events and bytes per execution (as Temporal stores them:
 * claims, not the payloads they name) for the content-creation workflow and for runs with big or
 * many bytes: an agent of many 200 KB tool turns, a 5 MB model reply, a 20 MB function step, a
 * 10 MB tool output, a long Loop (continue-as-new), a retry after a 10 MB step; and what the run
 * put in the blob store beside it. Local blob store.
 *
 *   node bench/history-size.ts [--turns 100] [--loop 2000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { Agent } from '../src/definitions/agent.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import { Loop } from '../src/definitions/primitives.ts';
import { Step } from '../src/definitions/step.ts';
import { defineTool } from '../src/definitions/tool.ts';
import { Workflow } from '../src/os/workflow.ts';
import { runPrefix } from '../src/data-plane/blob-keys.ts';
import { blobDriverOf } from '../src/data-plane/data-converter.ts';
import { executionSizes } from '../test/data-plane/support/executions.ts';
import { splitIntoChunks } from '../test/fakes/openai.ts';
import type { FakeReply, FakeRequest } from '../test/fakes/openai.ts';
import { contentCreationReply } from '../test/support/content-creation-script.ts';
import { startHarness } from '../test/support/harness.ts';
import { machine, printMachine, printTable, round } from './stats.ts';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '100' }, loop: { type: 'string', default: '2000' } } });
const TURNS = Number(values.turns);
const ITERATIONS = Number(values.loop);
const MB = 1024 * 1024;
const textOf = (bytes: number, seed: string) => `${seed}:`.padEnd(bytes, 'abcdefghijklmnopqrstuvwxyz0123456789 ');
const model = new OpenAIResponses({ id: 'gpt-5.2' });

const readPage = defineTool<{ n: number }>({
  name: 'read_page',
  description: 'Reads one page.',
  parameters: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  execute: ({ n }) => textOf(200 * 1024, `page ${n}`),
});
const bigReport = defineTool({ name: 'big_report', description: 'A 10 MB report', parameters: { type: 'object', properties: {} }, execute: () => textOf(10 * MB, 'report'), maxOutputBytes: 16 * MB });
const broken = { publish: true };
const workflows = {
  turns: new Workflow({ name: 'Many Turns', steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model, tools: [readPage], maxTurns: TURNS + 5 }) })] }),
  writer: new Workflow({ name: 'Writer', steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model }) })] }),
  producer: new Workflow({ name: 'Producer', steps: [new Step({ name: 'Produce', executor: () => textOf(20 * MB, 'step') })] }),
  reporter: new Workflow({ name: 'Reporter', steps: [new Step({ name: 'Report', agent: new Agent({ name: 'Report Reader', model, tools: [bigReport] }) })] }),
  loop: new Workflow({ name: 'Long Loop', steps: [new Loop({ name: 'Repeat', maxIterations: ITERATIONS, steps: [new Step({ name: 'Count', executor: (input) => String(Number(input.previousStepContent ?? 0) + 1) })] })] }),
  retried: new Workflow({
    name: 'Retried',
    steps: [
      new Step({ name: 'Produce', executor: () => textOf(10 * MB, 'ten') }),
      new Step({
        name: 'Publish',
        executor: () => {
          if (broken.publish) throw ApplicationFailure.nonRetryable('publishing is broken', 'Broken');
          return 'published';
        },
      }),
    ],
  }),
};

const dataDir = await mkdtemp(join(tmpdir(), 'history-size-'));
Object.assign(process.env, { BLOB_STORE: 'local', DATA_DIR: dataDir });
const h = await startHarness();
const rows: Record<string, string | number>[] = [];
try {
  await h.startWorker([contentCreationWorkflow, ...Object.values(workflows)]);
  const measure = async (name: string, run: () => Promise<string>) => {
    h.openai.reset();
    const t0 = performance.now();
    const runId = await run();
    const seconds = round((performance.now() - t0) / 1000);
    const sizes = await executionSizes(h.engine.client, runId);
    const events = sizes.map((s) => s.events);
    const kb = sizes.map((s) => s.bytes / 1024);
    let blobBytes = 0;
    for await (const blob of blobDriverOf(h.engine.client.options.loadedDataConverter)!.blobs.list(runPrefix('default', runId))) blobBytes += blob.size;
    rows.push({
      run: name,
      seconds,
      executions: sizes.length,
      'events (all)': events.reduce((a, b) => a + b, 0),
      'events (largest)': Math.max(...events),
      'KB (all)': round(kb.reduce((a, b) => a + b, 0)),
      'KB (largest)': round(Math.max(...kb)),
      'blob store MB': round(blobBytes / 1024 / 1024),
    });
    console.log(`${name}: done in ${seconds} s`);
  };
  const completed = async (workflow: Workflow, input: string) => {
    const output = await workflow.arun({ input, engine: h.engine });
    if (output.status !== 'COMPLETED') throw new Error(`${workflow.name} ended ${output.status}: ${output.error}`);
    return output.run_id;
  };

  printMachine();
  await measure('content creation (7 model calls, 2 tools)', async () => {
    h.openai.setHandler(contentCreationReply);
    return completed(contentCreationWorkflow, 'AI trends in 2024');
  });
  await measure(`agent, ${TURNS} tool turns of 200 KB`, async () => {
    h.openai.setHandler((req: FakeRequest): FakeReply => {
      h.openai.requests.length = 0;
      const next = req.toolResults.length + 1;
      return next <= TURNS ? { kind: 'tool_calls', calls: [{ name: 'read_page', arguments: { n: next } }] } : { kind: 'text', text: 'done' };
    });
    return completed(workflows.turns, 'Read it all.');
  });
  await measure('model reply of 5 MB, streamed', async () => {
    const text = textOf(5 * MB, 'reply');
    h.openai.enqueue({ kind: 'text', text, chunks: splitIntoChunks(text, 64 * 1024) });
    return completed(workflows.writer, 'Write.');
  });
  await measure('function step returning 20 MB', () => completed(workflows.producer, 'go'));
  await measure('agent whose tool returns 10 MB', async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'big_report', arguments: {} }] }, { kind: 'text', text: 'Read.' });
    return completed(workflows.reporter, 'Read the report.');
  });
  await measure(`Loop of ${ITERATIONS} iterations`, () => completed(workflows.loop, '0'));
  await measure('failure after a 10 MB step, retried', async () => {
    broken.publish = true;
    const failed = await workflows.retried.arun({ input: 'go', engine: h.engine });
    broken.publish = false;
    await h.engine.retryRun(failed.run_id);
    const output = await h.engine.waitForRun(failed.run_id);
    if (output.status !== 'COMPLETED') throw new Error(`the retry ended ${output.status}`);
    return failed.run_id;
  });
  console.log();
  printTable(rows);
  console.log(JSON.stringify({ bench: 'history-size', ...machine(), turns: TURNS, iterations: ITERATIONS, rows }));
} finally {
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
}
