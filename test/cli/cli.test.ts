/**
 * The CLI (src/cli/main.ts) as a user runs it: a child process against a running API. Its
 * output and exit codes for help, run --background, follow, cancel, continue, retry, fork,
 * approvals and schedules.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { trackChild } from '../support/processes.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMMANDS = ['workflows', 'run', 'follow', 'get', 'list', 'cancel', 'retry', 'continue', 'fork', 'approvals', 'schedules'];

let sendIsBroken = true;
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Say', executor: (input: StepInput) => `echo: ${input.input}` })] });
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish it?', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});
const mailer = new Workflow({
  name: 'Mailer',
  steps: [new Step({ name: 'Send', executor: (input: StepInput) => (sendIsBroken ? { content: '', success: false, error: 'the mail service is down' } : `sent ${input.input}`) })],
});

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([echo, approval, mailer]);
});
after(async () => h?.close());

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (killed at the deadline); async, since the API it talks to lives in this process. */
async function cli(...args: string[]): Promise<CliResult> {
  const child = trackChild(spawn(process.execPath, [CLI, '--url', h.api.url, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  try {
    const [code] = (await withDeadline(`cli ${args.join(' ')}`, once(child, 'exit'), 60_000)) as [number | null];
    return { code, stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

async function background(workflow: string, message: string): Promise<string> {
  const started = await cli('run', workflow, message, '--background');
  assert.equal(started.code, 0, started.stderr);
  const runId = started.stdout.trim();
  assert.match(runId, UUID, 'run --background prints the run id and nothing else');
  return runId;
}

async function statusOf(workflow: string, runId: string): Promise<string> {
  return ((await (await fetch(`${h.api.url}/workflows/${workflow}/runs/${runId}`)).json()) as { status: string }).status;
}
const reaches = (workflow: string, runId: string, status: string) => waitUntil(`run ${runId} to be ${status}`, async () => (await statusOf(workflow, runId)) === status);

function assertLines(output: string, expected: string[]): void {
  for (const line of expected) assert.ok(output.includes(line), `output lacks ${JSON.stringify(line)}:\n${output}`);
}

describe('cli', () => {
  it('help: prints the usage with every command; no command or an unknown one is a usage error (2)', async () => {
    for (const args of [['help'], ['--help']]) {
      const result = await cli(...args);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /^usage: durable-agents <command> \[options\]/);
      for (const command of COMMANDS) assert.match(result.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    }
    const none = await cli();
    assert.equal(none.code, 2);
    assert.match(none.stdout, /^usage:/);
    const unknown = await cli('launch');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown command launch\n\nusage:/);
  });

  it('run --background prints the run id; follow shows the run to its end (0), or its failure (1)', async () => {
    const runId = await background('echo', 'hello there');
    await reaches('echo', runId, 'COMPLETED');
    const followed = await cli('follow', 'echo', runId);
    assert.equal(followed.code, 0, followed.stderr);
    assertLines(followed.stdout, [`▶ Echo run ${runId}`, '● Step 1: Say', '✓ Say', 'echo: hello there', '✓ completed']);
    const json = await cli('run', 'echo', 'as json', '--background', '--json');
    assert.match((JSON.parse(json.stdout) as { run_id: string }).run_id, UUID);

    const failed = await background('mailer', 'the report');
    const failedFollow = await cli('follow', 'mailer', failed);
    assert.equal(failedFollow.code, 1);
    assertLines(failedFollow.stdout, ['✗ failed at Send: the mail service is down']);
    const missing = await cli('follow', 'echo', 'no-such-run');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: Run not found\. \(HTTP 404\)/);
  });

  it('cancel: asks for the cancel (0); following the run then ends at the cancel (130); an ended run is an error (1)', async () => {
    const runId = await background('approval', 'the news');
    await reaches('approval', runId, 'PAUSED');
    const cancelled = await cli('cancel', 'approval', runId);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(cancelled.stdout, 'cancellation requested\n');
    const followed = await cli('follow', 'approval', runId);
    assert.equal(followed.code, 130);
    assertLines(followed.stdout, ['⏸ Publish waits for you: Publish it?', '■ cancelled']);
    const again = await cli('cancel', 'approval', runId);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /has already ended \(CANCELLED\)\. \(HTTP 409\)/);
  });

  it('continue: confirms (or --reject refuses) the waiting step and follows the run to its end; a run not waiting is a usage error', async () => {
    for (const [flags, verb, content] of [
      [[], 'continuing', 'published draft of the news'],
      [['--reject'], 'rejecting', 'draft of the news'],
    ] as [string[], string, string][]) {
      const runId = await background('approval', 'the news');
      await reaches('approval', runId, 'PAUSED');
      const result = await cli('continue', 'approval', runId, ...flags);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith(`${verb} Publish\n`), result.stdout);
      assertLines(result.stdout, [content, '✓ completed']);
      const run = (await (await fetch(`${h.api.url}/workflows/approval/runs/${runId}`)).json()) as { status: string; content: string };
      assert.deepEqual([run.status, run.content], ['COMPLETED', content]);

      const notWaiting = await cli('continue', 'approval', runId);
      assert.equal(notWaiting.code, 2);
      assert.match(notWaiting.stderr, new RegExp(`^error: run ${runId} is not waiting for anyone`));
    }
  });

  it('retry: runs a failed run again from its failed step and follows the whole log (0); a completed run is an error (1)', async () => {
    sendIsBroken = true;
    const runId = await background('mailer', 'the report');
    await reaches('mailer', runId, 'ERROR');
    sendIsBroken = false; // the fix is deployed
    const retried = await cli('retry', 'mailer', runId);
    assert.equal(retried.code, 0, retried.stderr);
    const failedAt = retried.stdout.indexOf('✗ failed at Send: the mail service is down');
    const completedAt = retried.stdout.indexOf('✓ completed');
    assert.ok(failedAt >= 0 && completedAt > failedAt, `the failed attempt, then the retry:\n${retried.stdout}`);
    assertLines(retried.stdout, ['sent the report']);
    assert.equal(await statusOf('mailer', runId), 'COMPLETED');
    const again = await cli('retry', 'mailer', runId);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(HTTP 409\)/);
  });

  it('fork: a new run from a step of an ended run, followed to its end (0); --background prints its id; an unknown step is an error (1)', async () => {
    sendIsBroken = true;
    const runId = await background('mailer', 'the memo');
    await reaches('mailer', runId, 'ERROR');
    sendIsBroken = false;
    const forked = await cli('fork', 'mailer', runId, 'Send', '--message', 'the fixed memo');
    assert.equal(forked.code, 0, forked.stderr);
    assertLines(forked.stdout, ['sent the fixed memo', '✓ completed']);
    assert.equal(await statusOf('mailer', runId), 'ERROR', 'the source is untouched');

    const echoed = await background('echo', 'once');
    await reaches('echo', echoed, 'COMPLETED');
    const quiet = await cli('fork', 'echo', echoed, '0', '--background');
    assert.equal(quiet.code, 0, quiet.stderr);
    const forkId = quiet.stdout.trim();
    assert.match(forkId, UUID);
    await reaches('echo', forkId, 'COMPLETED');
    const unknown = await cli('fork', 'echo', echoed, 'Shout');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no step named "Shout"; its steps: Say \(0\)\. \(HTTP 409\)/);
  });

  it('approvals: list the runs’ questions, show one, resolve it; a missing action is a usage error (2)', async () => {
    const runId = await background('approval', 'the plan');
    await reaches('approval', runId, 'PAUSED');
    const id = `${runId}~0`;
    const listed = await cli('approvals', 'list', '--workflow', 'approval');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}  pending    confirmation  approval  Publish  run PAUSED$`, 'm'));
    const shown = await cli('approvals', 'show', id);
    assert.equal(shown.code, 0, shown.stderr);
    assertLines(shown.stdout, [id, 'Publish it?']);
    const resolved = await cli('approvals', 'resolve', id, '--by', 'ops');
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.match(resolved.stdout, new RegExp(`^approved: run ${runId} is COMPLETED`));
    assert.equal(await statusOf('approval', runId), 'COMPLETED');
    const again = await cli('approvals', 'resolve', id);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(HTTP 409\)/);
    const missing = await cli('approvals');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: missing approvals action/);
  });

  it('schedules: create, list, show, disable and enable, trigger, runs, delete', async () => {
    const created = await cli('schedules', 'create', 'echo', 'nightly echo', 'good', 'night', '--cron', '0 3 * * *', '--timezone', 'Europe/Paris');
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.ok(id.length > 0);
    const listed = await cli('schedules', 'list');
    assert.match(listed.stdout, new RegExp(`^${id}  nightly echo  echo  0 3 \\* \\* \\* \\(Europe/Paris\\)  next `, 'm'));
    const shown = await cli('schedules', 'show', id);
    assertLines(shown.stdout, [id, 'good night']);
    assert.equal((await cli('schedules', 'disable', id)).stdout, `${id} disabled\n`);
    assert.match((await cli('schedules', 'show', id)).stdout, /disabled/);
    assert.equal((await cli('schedules', 'enable', id)).stdout, `${id} enabled\n`);
    const triggered = await cli('schedules', 'trigger', id);
    assert.equal(triggered.code, 0, triggered.stderr);
    const runId = triggered.stdout.trim();
    await reaches('echo', runId, 'COMPLETED');
    const runs = await cli('schedules', 'runs', id, '--json');
    assert.ok((JSON.parse(runs.stdout) as { data: { run_id: string }[] }).data.some((run) => run.run_id === runId), runs.stdout);
    assert.equal((await cli('schedules', 'delete', id)).stdout, `${id} deleted\n`);
    const gone = await cli('schedules', 'show', id);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /\(HTTP 404\)/);
  });
});
