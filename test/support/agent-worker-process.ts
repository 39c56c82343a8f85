/**
 * An agent served over HTTP whose worker is a real child process, for the tests that SIGKILL it:
 * a harness (Temporal, fakes, run store), an API serving the agent on its own, and `startWorker`
 * to start a worker process from a script (again after a kill). All of it is stopped after the
 * file's tests, the worker processes too.
 */
import type { ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import type { Agent } from '../../src/definitions/agent.ts';
import { servedRunnables } from '../../src/os/served-runnables.ts';
import { serveApi } from '../../src/server/serve.ts';
import type { ApiServer } from '../../src/server/serve.ts';
import { startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { killChildren, startProcess } from './processes.ts';

export interface AgentWorkerProcess {
  harness(): Harness;
  api(): ApiServer;
  /** Starts a worker process from the script; resolves once it says it is ready. */
  startWorker(): Promise<ChildProcess>;
}

/**
 * Serves `agent` for the file's tests; `workerScript` is the path of a script that runs its worker;
 * `setUp` runs once the harness has started (the fake model's script, say).
 */
export function useAgentWorkerProcess(agent: Agent, workerScript: string, setUp: (h: Harness) => void = () => undefined): AgentWorkerProcess {
  let h: Harness | undefined;
  let api: ApiServer | undefined;
  before(async () => {
    h = await startHarness();
    api = await serveApi({
      engine: h.engine,
      workflows: [],
      runnables: servedRunnables({ agents: [agent] }),
      port: 0,
      hostname: '127.0.0.1',
      blobs: openBlobStore(dataPlaneConfigFromEnv(h.env)),
    });
    setUp(h);
  });
  after(async () => {
    await killChildren();
    await api?.close();
    await h?.close();
  });
  return {
    harness: () => h!,
    api: () => api!,
    startWorker: async () => (await startProcess({ args: [workerScript], env: h!.env, ready: 'worker ready' })).child,
  };
}
