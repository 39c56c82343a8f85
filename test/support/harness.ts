/**
 * Real parts for integration tests: a Temporal dev server, loopback fakes of OpenAI, Hacker News
 * and Yahoo Finance, an engine (client) and in-process workers on a fresh task queue.
 *
 * Whatever fails, nothing is left running: a part that fails to start closes the ones that did,
 * `close()` closes every part even when some fail to close, and the dev server dies with the
 * test process (see ./processes.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { connectTemporal } from '../../src/engine/temporal-connection.ts';
import type { WorkflowBundle } from '@temporalio/worker';
import { startDevServer } from '../../src/dev-server/temporal-cli.ts';
import type { DevServer, DevServerOptions } from '../../src/dev-server/temporal-cli.ts';
import { Engine } from '../../src/engine/engine.ts';
import { dataPlaneConfigFromEnv } from '../../src/data-plane/config.ts';
import { createDataConverter } from '../../src/data-plane/data-converter.ts';
import { ensureSearchAttributes } from '../../src/engine/register-search-attributes.ts';
import { bundleWorkflows, createWorker } from '../../src/worker/create-worker.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { installSdkRuntime } from '../../src/worker/sdk-runtime.ts';
import type { NestedWorkflow } from '../../src/definitions/node.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { openRunStore, runStoreConfigFromEnv } from '../../src/run-store/config.ts';
import type { RunStore } from '../../src/run-store/run-store.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI } from '../fakes/openai.ts';
import { startFakeHackerNews } from '../fakes/hackernews.ts';
import { startFakeYahooFinance } from '../fakes/yahoo-finance.ts';
import type { HttpFake } from '../fakes/http-fake.ts';
// Every child process, this dev server included, dies with the test process, also on Ctrl-C.
import './processes.ts';
import { Teardown } from './teardown.ts';
import { TemporalCalls } from './temporal-calls.ts';
import { collectWithin } from './wait.ts';

export interface Harness {
  temporal: DevServer;
  engine: Engine;
  /** What the engine (and every `engineFor` engine) asked Temporal: runs started, queries sent. */
  temporalCalls: TemporalCalls;
  openai: FakeOpenAI;
  hackernews: HttpFake;
  yahoo: HttpFake;
  taskQueue: string;
  /** The run store the workers write to (the harness's own), which the engines read ended runs from. */
  runStore: RunStore;
  /** Environment a worker (in-process or child process) needs to reach the fakes and the run store. */
  env: NodeJS.ProcessEnv;
  /**
   * An in-process worker; `taskQueue` other than the harness's needs an engine of its own
   * (`engineFor`). A worker that stops with an error is reported at once and fails `close()`.
   */
  startWorker(workflows: NestedWorkflow[], options?: { env?: NodeJS.ProcessEnv; taskQueue?: string }): Promise<RunningWorker>;
  engineFor(taskQueue: string): Engine;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundle> | undefined;

/** A run's whole event log, read through the engine until its end, within `timeoutMs`. */
export function collectEvents(engine: Engine, runId: string, after = -1, timeoutMs = 60_000): Promise<RunEvent[]> {
  return collectWithin(`the event log of run ${runId}`, (signal) => engine.streamEvents(runId, { after, signal }), timeoutMs);
}

// Tests provoke failures on purpose; the SDK's warnings about them would drown the report.
installSdkRuntime('ERROR');

const NAMESPACE = 'default';

export interface HarnessOptions {
  /** How the dev server runs, e.g. its SQLite file (default in memory). */
  temporal?: DevServerOptions;
  /** Where the run store is (RUN_STORE, RUN_STORE_DATABASE_URL, ...); default an SQLite file of the harness's own. */
  runStoreEnv?: NodeJS.ProcessEnv;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const teardown = new Teardown();
  const [temporal, openai, hackernews, yahoo] = await teardown.startAll([
    teardown.start('the Temporal dev server', startDevServer(options.temporal), (server) => server.stop()),
    teardown.start('the fake OpenAI', startFakeOpenAI(), (fake) => fake.close()),
    teardown.start('the fake Hacker News', startFakeHackerNews(), (fake) => fake.close()),
    teardown.start('the fake Yahoo Finance', startFakeYahooFinance(), (fake) => fake.close()),
  ] as const);
  try {
    const taskQueue = `test-${randomUUID()}`;
    const storeDir = await mkdtemp(join(tmpdir(), 'run-store-'));
    teardown.add('the run store folder', () => rm(storeDir, { recursive: true, force: true }));
    const runStoreEnv = options.runStoreEnv ?? { RUN_STORE: 'sqlite', RUN_STORE_PATH: join(storeDir, 'run-store.sqlite') };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      HACKERNEWS_API_URL: hackernews.url,
      YAHOO_FINANCE_API_URL: yahoo.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      // Tests stop workers with calls left hanging on purpose: those are cancelled at once. The
      // shutdown tests (test/worker/worker-shutdown.test.ts) give their workers a grace time.
      WORKER_SHUTDOWN_GRACE_MS: '0',
      ...runStoreEnv,
    };
    // Tools read their base URLs from the environment when called, in-process workers included.
    Object.assign(process.env, { HACKERNEWS_API_URL: hackernews.url, YAHOO_FINANCE_API_URL: yahoo.url });
    const connection = await teardown.start('the engine connection', connectTemporal({ address: temporal.address }), (c) => c.close());
    await ensureSearchAttributes(connection, NAMESPACE);
    const temporalCalls = new TemporalCalls();
    // The same blob store as the workers (BLOB_STORE, ... of `env`): big payloads are claims in history.
    const dataConverter = createDataConverter(dataPlaneConfigFromEnv(env));
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter, interceptors: { workflow: [temporalCalls.interceptor] } });
    const runStore = await teardown.start('the run store', openRunStore(runStoreConfigFromEnv(env)), (store) => store.close());
    const engine = new Engine({ client, taskQueue, runStore });
    return {
      temporal,
      engine,
      temporalCalls,
      openai,
      hackernews,
      yahoo,
      taskQueue,
      runStore,
      env,
      async startWorker(workflows, options = {}) {
        bundle ??= bundleWorkflows();
        const queue = options.taskQueue ?? taskQueue;
        const worker = await createWorker({ workflows, address: temporal.address, taskQueue: queue, env: options.env ?? env, workflowBundle: await bundle });
        // shutdown() waits for run() to end, so a worker that died is reported again when closed.
        teardown.add(`a worker on ${queue}`, () => worker.shutdown());
        worker.run().catch((err: unknown) => console.error(`The worker on ${queue} stopped with an error:`, err));
        return worker;
      },
      engineFor(queue) {
        return new Engine({ client, taskQueue: queue, runStore });
      },
      close: () => teardown.run(),
    };
  } catch (err) {
    await teardown.runAfterFailure();
    throw err;
  }
}
