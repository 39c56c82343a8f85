/**
 * The Temporal dev server (SQLite file) stopped and started again mid-run: the worker and the
 * client reconnect, the run completes, and no finished call is made again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { freePort, startDevServer } from '../../src/dev-server/temporal-cli.ts';
import type { DevServer } from '../../src/dev-server/temporal-cli.ts';
import { Engine } from '../../src/engine/engine.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { installSdkRuntime } from '../../src/worker/sdk-runtime.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { HttpFake } from '../fakes/http-fake.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { collectEvents } from '../support/harness.ts';
import { Teardown } from '../support/teardown.ts';
import { withDeadline } from '../support/wait.ts';
import { activityAttempts } from './history-accounting.ts';

// Tests provoke failures on purpose; the SDK's warnings about them would drown the report.
installSdkRuntime('ERROR');
const teardown = new Teardown();
let dir: string;
let server: DevServer | undefined;
let openai: FakeOpenAI;
let fakes: HttpFake[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-restart-'));
  teardown.add('the data directory', () => rmSync(dir, { recursive: true, force: true }));
  // Whichever dev server runs at the end (the first or its restart) is stopped.
  teardown.add('the Temporal dev server', () => server?.stop());
  [openai, ...fakes] = await teardown.startAll([
    teardown.start('the fake OpenAI', startFakeOpenAI(), (fake) => fake.close()),
    teardown.start('the fake Hacker News', startFakeHackerNews(), (fake) => fake.close()),
    teardown.start('the fake Yahoo Finance', startFakeYahooFinance(), (fake) => fake.close()),
  ] as const);
  process.env.HACKERNEWS_API_URL = fakes[0]!.url;
  process.env.YAHOO_FINANCE_API_URL = fakes[1]!.url;
});
after(() => teardown.run());

it('completes a run across a restart of the Temporal server, repeating no finished call', async () => {
  const port = await freePort();
  const dbFile = join(dir, 'temporal.db');
  server = await startDevServer({ port, dbFile });
  const taskQueue = 'restart-test';
  const env = { ...process.env, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.url };
  const worker = await teardown.start('the worker', createWorker({ workflows: [contentCreationWorkflow], address: server.address, taskQueue, env }), (w) => w.shutdown());
  worker.run().catch((err: unknown) => console.error('The worker stopped with an error:', err));
  const engine = await teardown.start('the engine', Engine.connect({ address: server.address, taskQueue }), (e) => e.close());

  let restarted: () => void = () => {};
  const restartedNow = new Promise<void>((resolve) => (restarted = resolve));
  let plannerCalled: () => void = () => {};
  const plannerNow = new Promise<void>((resolve) => (plannerCalled = resolve));
  openai.setHandler(async (req) => {
    if (callerOf(req) === 'planner') {
      plannerCalled();
      // The planner's answer only comes back once Temporal is up again.
      await restartedNow;
    }
    return contentCreationReply(req);
  });
  const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', engine, background: true });
  await withDeadline('the planner to be called', plannerNow);
  await server.stop();
  server = await startDevServer({ port, dbFile });
  restarted();

  const output = await withDeadline('the run to end', engine.waitForRun(run.run_id), 120_000);
  assert.equal(output.status, 'COMPLETED', output.error);
  assert.equal(output.content, CONTENT_PLAN);
  const events = await collectEvents(engine, run.run_id);
  assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
  const attempts = await activityAttempts(engine.client, [run.run_id]);
  assert.equal(attempts.completed.callModel, 7);
  assert.ok(openai.count() <= attempts.callModel, `${openai.count()} model requests, ${attempts.callModel} attempts`);
  assert.equal(openai.count((req) => callerOf(req) !== 'planner'), 6, 'the first step’s model calls were not repeated');
  assert.equal(fakes[0]!.count('/v0/topstories.json'), 1);
  assert.equal(fakes[1]!.count('/v8/finance/chart/'), 1);
});
