/**
 * `npm start` as a user runs it (embedded Temporal dev server, worker, API), driven by the CLI:
 * the content-creation workflow end to end over HTTP, and finished runs still there after a restart.
 * Its Web UI, in headless Chromium, shows a run's big input as text (through the API's codec),
 * where history holds a reference; the screenshot is kept in test-output/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { pollRunUntilEnded } from '../support/http.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { HttpFake } from '../fakes/http-fake.ts';
import { findChromium, openChromium } from '../support/chromium-page.ts';
import { skipWithoutTool } from '../support/ci.ts';
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

it("its Web UI shows a run's big input as text, not as the reference history holds (the API's codec)", async (t) => {
  const chromium = findChromium();
  const skip = skipWithoutTool("npm start's Web UI in Chromium", chromium ? undefined : 'Chromium not found (apt-get install chromium, or CHROMIUM_PATH)');
  if (skip || !chromium) return t.skip(skip || 'no Chromium');
  // Over 4 KiB: the API keeps it in the blob store, and the run's start input names it by reference.
  const brief = 'Brief: '.padEnd(6_000, 'durable agents that never lose work ');
  const started = await fetch(`${apiUrl}/workflows/content-creation-workflow/runs`, { method: 'POST', body: new URLSearchParams({ message: brief, stream: 'false', background: 'true' }) });
  assert.equal(started.status, 202);
  const { run_id } = (await started.json()) as { run_id: string };
  await pollRunUntilEnded(`${apiUrl}/workflows/content-creation-workflow/runs/${run_id}`);
  // What history holds: the message by reference in the run's input and result, never the text.
  const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_SERVER_PORT}` });
  try {
    const { events } = await new Client({ connection }).workflow.getHandle(run_id).fetchHistory();
    const held = [events![0]!.workflowExecutionStartedEventAttributes!.input!, events!.at(-1)!.workflowExecutionCompletedEventAttributes!.result!];
    for (const payloads of held) {
      const raw = Buffer.from(payloads.payloads![0]!.data!).toString('utf8');
      assert.ok(raw.includes('\\u0000blob:') && !raw.includes('Brief: durable'), 'history names the message by reference');
    }
  } finally {
    await connection.close();
  }
  const page = await openChromium(chromium, { width: 1400, height: 1000 });
  try {
    await page.open(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/namespaces/default/workflows/${run_id}`);
    await page.waitForText('"plan"');
    // The input and result are long JSON documents in scrolled editors that render the lines in view: scroll to the message.
    const shown = await page.evaluate<boolean>(`(async () => {
      const shows = () => document.body.innerText.includes('"input": "Brief: durable agents');
      for (const editor of document.querySelectorAll('.cm-scroller')) {
        for (let top = 0; top <= editor.scrollHeight && !shows(); top += 200) {
          editor.scrollTop = top;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      return shows();
    })()`);
    const text = await page.text();
    const folder = join(ROOT, 'test-output');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'web-ui-codec.png'), await page.screenshot());
    assert.ok(shown, `the Web UI shows the message as text (screenshot: test-output/web-ui-codec.png):\n${text.slice(0, 2_000)}`);
    assert.ok(!text.includes('blob:'), 'no reference is shown');
  } finally {
    await page.close();
  }
});
