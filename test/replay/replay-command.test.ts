/**
 * `npm run replay` as an operator runs it, against a live Temporal: it downloads a finished run's
 * histories (every execution of a retried run), replays them against the current workflow code,
 * keeps them with `--save DIR`, and exits 0, or 1 for a history the code no longer replays.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { loadHistory } from '../../src/replay/replay.ts';
import { bundleWorkflows, createWorker } from '../../src/worker/create-worker.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { trackChild } from '../support/processes.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Workflow code that starts a timer first: what it records, the current code cannot replay. */
const CHANGED_WORKFLOW = fileURLToPath(new URL('./changed-workflow.ts', import.meta.url));

let sendIsBroken = true;
const writer = new Workflow({
  name: 'Writer',
  steps: [
    new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) }),
    new Step({ name: 'Send', executor: (input: StepInput) => (sendIsBroken ? { content: '', success: false, error: 'the mail service is down' } : `sent: ${input.previousStepContent}`) }),
  ],
});

let h: Harness;
let changedWorker: RunningWorker | undefined;
let saveDir: string;
before(async () => {
  h = await startHarness();
  h.openai.setHandler((req) => ({ kind: 'text', text: `a post about ${req.lastUserText}` }));
  await h.startWorker([writer]);
  saveDir = mkdtempSync(join(tmpdir(), 'durable-agents-replay-'));
});
after(async () => {
  await changedWorker?.shutdown();
  await h?.close();
  if (saveDir) rmSync(saveDir, { recursive: true, force: true });
});

/** `npm run replay -- ...` as a child process, to its exit (killed at the deadline). */
async function replay(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = trackChild(spawn('npm', ['run', '--silent', 'replay', '--', ...args], { cwd: ROOT, env: h.env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  try {
    const [code] = (await withDeadline(`npm run replay -- ${args.join(' ')}`, once(child, 'exit'), 120_000)) as [number | null];
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('npm run replay', () => {
  it('replays every execution of a finished run (a failed attempt and its retry), saves them with --save, and exits 0', async () => {
    sendIsBroken = true;
    const failed = await writer.arun({ input: 'durability', engine: h.engine });
    assert.equal(failed.status, 'ERROR');
    sendIsBroken = false;
    await h.engine.retryRun(failed.run_id);
    await waitUntil('the retry to complete', async () => (await h.engine.getRun(failed.run_id))?.status === 'COMPLETED');
    // The command finds executions through visibility, which may lag a moment behind.
    await waitUntil('both executions to be listed', async () => {
      let closed = 0;
      for await (const execution of h.engine.client.workflow.list({ query: `WorkflowId = '${failed.run_id}'` })) if (execution.closeTime) closed += 1;
      return closed === 2;
    });

    const result = await replay(failed.run_id, '--save', saveDir);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2, result.stdout);
    for (const line of lines) assert.match(line, new RegExp(`^ok {8}${failed.run_id} \\(execution [0-9a-f-]{36}\\) \\(\\d+ events\\)$`));

    const saved = readdirSync(saveDir).sort();
    assert.deepEqual(saved, [`${failed.run_id}-0.json`, `${failed.run_id}-1.json`]);
    const lengths = (await Promise.all(saved.map((file) => loadHistory(join(saveDir, file))))).map((history) => history.events?.length ?? 0).sort((a, b) => a - b);
    const printed = lines.map((line) => Number(/\((\d+) events\)$/.exec(line)![1])).sort((a, b) => a - b);
    assert.deepEqual(lengths, printed, 'the saved files are the histories it replayed');

    // A saved history replays from its file, with no Temporal involved.
    const fromFile = await replay('--file', join(saveDir, saved[0]!));
    assert.equal(fromFile.code, 0, `${fromFile.stdout}\n${fromFile.stderr}`);
    assert.match(fromFile.stdout, /^ok {8}.*-0\.json \(\d+ events\)$/m);
  });

  it('exits 1 and names the determinism error for a run the current code no longer replays', async () => {
    const queue = `${h.taskQueue}-changed`;
    changedWorker = await createWorker({ workflows: [writer], address: h.temporal.address, taskQueue: queue, env: h.env, workflowBundle: await bundleWorkflows(CHANGED_WORKFLOW) });
    void changedWorker.run();
    sendIsBroken = false;
    const run = await writer.arun({ input: 'change', engine: h.engineFor(queue) });
    assert.equal(run.status, 'COMPLETED', run.error);

    const result = await replay(run.run_id);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^NONDETERMINISTIC {2}${run.run_id} \\(execution [0-9a-f-]{36}\\): .*[Nn]ondetermin`, 'm'));
  });

  it('without a run id or file: prints its usage and exits 2', async () => {
    const result = await replay();
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^usage: npm run replay -- <run_id>\.\.\. \[--save DIR\]/);
  });
});
