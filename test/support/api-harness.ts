/** The HTTP API served over real HTTP, on top of the integration harness (Temporal, fakes, worker). */
import { serveApi } from '../../src/server/serve.ts';
import type { ApiServer } from '../../src/server/serve.ts';
import type { AppOptions } from '../../src/server/app.ts';
import type { WorkflowDefinition } from '../../src/definitions/workflow.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { Teardown } from './teardown.ts';

export interface ApiHarness extends Harness {
  api: ApiServer;
  /** Serves another app (other options) on the same engine; closed with the harness. */
  serve(options?: Partial<AppOptions>): Promise<ApiServer>;
  /** Stops the workers and starts a fresh one, as a deployment would. */
  restartWorkers(): Promise<void>;
  /** Stops the workers (until `restartWorkers`). */
  stopWorkers(): Promise<void>;
}

export async function startApiHarness(workflows: WorkflowDefinition[], options: Partial<AppOptions> = {}): Promise<ApiHarness> {
  const h = await startHarness();
  // The servers close first, then the harness, whatever fails on the way.
  const teardown = new Teardown();
  teardown.add('the harness', () => h.close());
  try {
    // Session names and deletions in the workers' blob store, as AgentOS keeps them.
    const blobs = openBlobStore(dataPlaneConfigFromEnv(h.env));
    // The served agents and teams run on the same workers, as runs of their one-step plans.
    const executed = [...workflows, ...(options.runnables ?? [])];
    let worker: RunningWorker | undefined = await h.startWorker(executed);
    const stopWorkers = async () => {
      await worker?.shutdown();
      worker = undefined;
    };
    const serve = (extra: Partial<AppOptions> = {}) =>
      teardown.start('an API server', serveApi({ engine: h.engine, workflows, port: 0, hostname: '127.0.0.1', blobs, ...options, ...extra }), (server) => server.close());
    const api = await serve();
    return {
      ...h,
      api,
      serve,
      async restartWorkers() {
        await stopWorkers();
        worker = await h.startWorker(executed);
      },
      stopWorkers,
      close: () => teardown.run(),
    };
  } catch (err) {
    await teardown.runAfterFailure();
    throw err;
  }
}
