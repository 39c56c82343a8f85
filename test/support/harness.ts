/**
 * Real parts for integration tests: a Temporal dev server, loopback fakes of OpenAI, Hacker News
 * and Yahoo Finance, an engine (client) and in-process workers on a fresh task queue.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowBundle } from '@temporalio/worker';
import { startDevServer } from '../../src/dev-server/temporal-cli.ts';
import type { DevServer } from '../../src/dev-server/temporal-cli.ts';
import { Engine } from '../../src/engine/engine.ts';
import { bundleWorkflows, createWorker } from '../../src/worker/create-worker.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { installSdkRuntime } from '../../src/worker/sdk-runtime.ts';
import type { WorkflowDefinition } from '../../src/definitions/workflow.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { HttpFake } from '../fakes/http-fake.ts';

export interface Harness {
  temporal: DevServer;
  engine: Engine;
  openai: FakeOpenAI;
  hackernews: HttpFake;
  yahoo: HttpFake;
  taskQueue: string;
  /** Environment a worker (in-process or child process) needs to reach the fakes. */
  env: NodeJS.ProcessEnv;
  /** An in-process worker; `taskQueue` other than the harness's needs an engine of its own (`engineFor`). */
  startWorker(workflows: WorkflowDefinition[], options?: { env?: NodeJS.ProcessEnv; taskQueue?: string }): Promise<RunningWorker>;
  engineFor(taskQueue: string): Engine;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundle> | undefined;

/** A run's whole event log, read through the engine until its end. */
export async function collectEvents(engine: Engine, runId: string, after = -1): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of engine.streamEvents(runId, { after })) events.push(event);
  return events;
}

// Tests provoke failures on purpose; the SDK's warnings about them would drown the report.
installSdkRuntime('ERROR');

export async function startHarness(): Promise<Harness> {
  const [temporal, openai, hackernews, yahoo] = await Promise.all([
    startDevServer(),
    startFakeOpenAI(),
    startFakeHackerNews(),
    startFakeYahooFinance(),
  ]);
  const taskQueue = `test-${randomUUID()}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: openai.url,
    HACKERNEWS_API_URL: hackernews.url,
    YAHOO_FINANCE_API_URL: yahoo.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
  };
  // Tools read their base URLs from the environment when called, in-process workers included.
  Object.assign(process.env, { HACKERNEWS_API_URL: hackernews.url, YAHOO_FINANCE_API_URL: yahoo.url });
  const engine = await Engine.connect({ address: temporal.address, taskQueue });
  const workers: RunningWorker[] = [];
  return {
    temporal,
    engine,
    openai,
    hackernews,
    yahoo,
    taskQueue,
    env,
    async startWorker(workflows, options = {}) {
      bundle ??= bundleWorkflows();
      const worker = await createWorker({
        workflows,
        address: temporal.address,
        taskQueue: options.taskQueue ?? taskQueue,
        env: options.env ?? env,
        workflowBundle: await bundle,
      });
      void worker.run();
      workers.push(worker);
      return worker;
    },
    engineFor(queue) {
      return new Engine({ client: engine.client, taskQueue: queue });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.shutdown()));
      await engine.close();
      await Promise.all([openai.close(), hackernews.close(), yahoo.close()]);
      await temporal.stop();
    },
  };
}
