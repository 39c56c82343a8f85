/**
 * `npm start` as a user runs it (embedded Temporal dev server, worker, API), driven by the CLI:
 * the content-creation workflow end to end over HTTP, and finished runs still there after a restart.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { HttpFake } from '../fakes/http-fake.ts';
import { startProcess } from '../support/processes.ts';
import type { StartedProcess } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');
let openai: FakeOpenAI;
let fakes: HttpFake[];
let dataDir: string;
let env: NodeJS.ProcessEnv;
let apiUrl: string;
const running: ChildProcess[] = [];

before(async () => {
  openai = await startFakeOpenAI();
  openai.setHandler(contentCreationReply);
  fakes = [await startFakeHackerNews(), await startFakeYahooFinance()];
  dataDir = mkdtempSync(join(tmpdir(), 'durable-agents-start-'));
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const { TEMPORAL_ADDRESS: _unset, ...inherited } = process.env;
  env = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: 'npm-start-test',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: openai.url,
    HACKERNEWS_API_URL: fakes[0]!.url,
    YAHOO_FINANCE_API_URL: fakes[1]!.url,
    NO_COLOR: '1',
  };
});

after(async () => {
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await Promise.all([openai?.close(), ...(fakes ?? []).map((fake) => fake.close())]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start` in its own process group; resolves with its output once the API is up. */
async function npmStart(): Promise<StartedProcess> {
  const started = await startProcess({ command: 'npm', args: ['start'], cwd: ROOT, env, detached: true, ready: /^workflows:/m });
  running.push(started.child);
  return started;
}

/** Ctrl-C, as a terminal sends it: SIGINT to the whole process group. */
async function ctrlC(child: ChildProcess): Promise<void> {
  process.kill(-child.pid!, 'SIGINT');
  await once(child, 'exit');
}

/** The CLI as a child process; async, because the fakes it reaches live in this process. */
async function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--url', apiUrl, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout, stderr };
}

it('serves the content-creation workflow end to end, followed live by the CLI, and keeps runs across restarts', async () => {
  const first = await npmStart();
  for (const line of ['API:', 'API docs:', 'Web UI:', 'Temporal:']) assert.match(first.output(), new RegExp(line));

  assert.match((await cli('workflows')).stdout, /content-creation-workflow\s+Content Creation Workflow/);
  const run = await cli('run', 'content-creation-workflow', 'AI trends in 2024');
  assert.equal(run.status, 0, run.stderr);
  for (const expected of ['▶ Content Creation Workflow', '● Step 1: Research Step', 'Research Team (team)', 'delegate_task_to_member', 'get_current_stock_price', '● Step 2: Content Planning Step', 'Week 1:', '✓ completed']) {
    assert.ok(run.stdout.includes(expected), `CLI output lacks ${expected}:\n${run.stdout}`);
  }
  const runId = /run ([0-9a-f-]{36})/.exec(run.stdout)?.[1];
  assert.ok(runId);

  await ctrlC(first.child);
  assert.match((await cli('workflows')).stderr, /cannot reach the API/);

  await npmStart();
  const got = await cli('get', 'content-creation-workflow', runId, '--json');
  assert.equal(got.status, 0, got.stderr);
  const output = JSON.parse(got.stdout) as { status: string; content: string };
  assert.equal(output.status, 'COMPLETED');
  assert.equal(output.content, CONTENT_PLAN);
  const listed = JSON.parse((await cli('list', '--status', 'COMPLETED', '--json')).stdout) as { run_id: string }[];
  assert.ok(listed.some((r) => r.run_id === runId));
  const bad = await cli('list', '--status', 'DONE');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--status must be one of/);
});
