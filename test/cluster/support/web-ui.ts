/**
 * The Temporal Web UI server of the cluster, as docker-compose.yml's `temporal-ui` service runs it
 * (the temporalio/ui image at deploy/temporal/UI_VERSION): built from its Go module by
 * scripts/build-temporal-server.sh, its settings from deploy/temporal/ui/ (the image's variables).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from '../../support/processes.ts';
import { waitUntil } from '../../support/wait.ts';
import { ROOT } from './temporal-server.ts';

export const UI_VERSION = readFileSync(join(ROOT, 'deploy/temporal/UI_VERSION'), 'utf8').trim();
const TEMPORAL_UI_SERVER = join(ROOT, '.tools/temporal-ui', UI_VERSION, 'temporal-ui-server');

/** Why the Web UI server cannot run here, or undefined when it can. */
export function webUiMissing(): string | undefined {
  if (existsSync(TEMPORAL_UI_SERVER)) return undefined;
  return `The Temporal Web UI server ${UI_VERSION} is not built in ${TEMPORAL_UI_SERVER}: run bash scripts/build-temporal-server.sh (npm run test:cluster does)`;
}

export interface WebUi {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `codecEndpoint`: the API's `/codec` as the browser reaches it (TEMPORAL_CODEC_ENDPOINT, as compose sets it). */
export async function startWebUi(temporalAddress: string, namespace: string, codecEndpoint?: string): Promise<WebUi> {
  const missing = webUiMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = await startProcess({
    command: TEMPORAL_UI_SERVER,
    args: ['--root', join(ROOT, 'deploy/temporal'), '--config', 'ui', '--env', 'docker', 'start'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_DEFAULT_NAMESPACE: namespace,
      TEMPORAL_UI_HOST: '127.0.0.1',
      TEMPORAL_UI_PORT: String(port),
      TEMPORAL_CORS_ORIGINS: url,
      ...(codecEndpoint ? { TEMPORAL_CODEC_ENDPOINT: codecEndpoint } : {}),
    },
    cwd: ROOT,
    ready: /http server started|Starting UI server/,
  });
  try {
    // Until it answers for the namespace through Temporal's frontend.
    await waitUntil(`the Web UI at ${url} to serve`, async () => (await fetch(`${url}/api/v1/namespaces/${namespace}`).catch(() => undefined))?.ok, { timeoutMs: 30_000, intervalMs: 300 });
  } catch (err) {
    await killProcess(started.child);
    throw new Error(`${(err as Error).message}\nThe Web UI server said:\n${started.output()}`, { cause: err });
  }
  return { url, output: () => started.output(), stop: () => killProcess(started.child) };
}
