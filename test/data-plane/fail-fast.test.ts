/**
 * What cannot be kept fails the run at once, named, and is never retried: a result over the
 * product maximum (BLOB_MAX_BYTES), a blob store that refuses or is down. Each run ends ERROR
 * within seconds, with a message naming the call and the size, and the model, tool or function
 * ran exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { WorkflowRunOutput } from '../../src/engine/run-output.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';

const MB = 1024 * 1024;
const MAX_BYTES = 8 * MB;
/** "Within seconds": generous for a loaded machine, far below the ~2 minutes of 8 retried attempts. */
const FAST_MS = 20_000;

const calls = { produce: 0, report: 0 };
const producer = (bytes: number) =>
  new Workflow({
    name: `Produce ${bytes / MB} MB`,
    steps: [
      new Step({
        name: 'Produce',
        executor: () => {
          calls.produce++;
          return 'p'.repeat(bytes);
        },
      }),
    ],
  });
const twentyMb = producer(20 * MB);
const threeMb = producer(3 * MB);
const hugeReport = defineTool({
  name: 'huge_report',
  description: 'A 10 MB report',
  parameters: { type: 'object', properties: {} },
  execute: () => {
    calls.report++;
    return 'r'.repeat(10 * MB);
  },
  maxOutputBytes: 16 * MB,
});
const reader = new Workflow({
  name: 'Huge Report Reader',
  steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [hugeReport] }) })],
});

let h: Harness;
let scratch: string;
const saved = process.env.BLOB_MAX_BYTES;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'fail-fast-'));
  process.env.BLOB_MAX_BYTES = String(MAX_BYTES);
  h = await startHarness();
  await h.startWorker([twentyMb, reader]);
});
after(async () => {
  await h?.close();
  if (saved === undefined) delete process.env.BLOB_MAX_BYTES;
  else process.env.BLOB_MAX_BYTES = saved;
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  calls.produce = 0;
  calls.report = 0;
  h.openai.reset();
});

async function runTimed(workflow: Workflow, engine: Engine): Promise<{ output: WorkflowRunOutput; ms: number }> {
  const started = Date.now();
  const output = await withDeadline(`a run of ${workflow.name}`, workflow.arun({ input: 'go', engine }), 60_000);
  return { output, ms: Date.now() - started };
}

async function assertFailedAtStep(engine: Engine, output: WorkflowRunOutput, step: string): Promise<void> {
  const events = await collectEvents(engine, output.run_id);
  const last = events.at(-1) as { event: string; step_name?: string; error?: string } | undefined;
  assert.equal(last?.event, 'WorkflowError');
  assert.equal(last?.step_name, step);
  assert.equal(last?.error, output.error);
}

describe('results over BLOB_MAX_BYTES', () => {
  it('a function step returning 20 MB fails the run at once, named, called once', async () => {
    const { output, ms } = await runTimed(twentyMb, h.engine);
    assert.equal(output.status, 'ERROR');
    assert.match(output.error ?? '', /^function \S+\/produce \(activity \w+ \d+\) of run \S+ returned 20,97\d,\d{3} bytes, more than the 8,388,608 bytes a result may have \(BLOB_MAX_BYTES\)\.$/);
    assert.ok(ms < FAST_MS, `ended after ${ms} ms`);
    assert.equal(calls.produce, 1);
    await assertFailedAtStep(h.engine, output, 'Produce');
  });

  it('a tool returning 10 MB fails the run at once, named, with the tool and the model called once', async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'huge_report', arguments: {} }] }, { kind: 'text', text: 'never asked' });
    const { output, ms } = await runTimed(reader, h.engine);
    assert.equal(output.status, 'ERROR');
    assert.match(output.error ?? '', /^tool huge_report \(activity callTool \d+\) of run \S+ returned 10,4\d\d,\d\d\d bytes, more than the 8,388,608 bytes/);
    assert.ok(ms < FAST_MS, `ended after ${ms} ms`);
    assert.equal(calls.report, 1);
    assert.equal(h.openai.requests.length, 1);
    await assertFailedAtStep(h.engine, output, 'Read');
  });
});

describe('a blob store that refuses or is down', () => {
  const cases: { name: string; env: () => Promise<NodeJS.ProcessEnv>; message: RegExp }[] = [
    {
      name: 'local files where a file blocks the directory',
      async env() {
        const blocker = join(scratch, 'not-a-directory');
        await writeFile(blocker, 'in the way');
        return { BLOB_STORE: 'local', DATA_DIR: blocker };
      },
      message: /ENOTDIR|EEXIST/,
    },
    {
      name: 'S3 with nothing listening',
      async env() {
        const port = await freePort();
        return { BLOB_STORE: 's3', BLOB_S3_BUCKET: 'down', BLOB_S3_ENDPOINT: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
      },
      message: /ECONNREFUSED|connect/i,
    },
  ];
  for (const { name, env, message } of cases) {
    it(`${name}: a 3 MB step result fails the run at once, named, called once`, async () => {
      const queue = `${h.taskQueue}-${name.split(' ')[0]}`;
      await h.startWorker([threeMb], { env: { ...h.env, ...(await env()) }, taskQueue: queue });
      const { output, ms } = await runTimed(threeMb, h.engineFor(queue));
      assert.equal(output.status, 'ERROR');
      assert.match(output.error ?? '', /^function \S+\/produce \(activity \w+ \d+\) of run \S+ returned 3,14\d,\d{3} bytes, which could not be stored in (local files in|s3:\/\/)/);
      assert.match(output.error ?? '', message);
      assert.ok(ms < FAST_MS, `ended after ${ms} ms`);
      assert.equal(calls.produce, 1);
      await assertFailedAtStep(h.engine, output, 'Produce');
    });
  }
});
