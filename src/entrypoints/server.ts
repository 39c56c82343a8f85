/**
 * API process: the HTTP API for the app's workflows, on PORT (default 7777). Runs execute on
 * workers (`npm run worker`); start as many API processes as load needs. Stops on SIGINT / SIGTERM.
 */
import { workflows } from '../app/index.ts';
import { temporalConfigFromEnv } from '../engine/config.ts';
import { Engine } from '../engine/engine.ts';
import { authFromEnv } from '../server/auth.ts';
import { serveApi } from '../server/serve.ts';

const config = temporalConfigFromEnv();
const engine = await Engine.connect(config);
const server = await serveApi({
  engine,
  workflows,
  authenticate: authFromEnv(),
  namespace: config.namespace,
  port: Number(process.env.PORT || 7777),
  hostname: process.env.HOST || '0.0.0.0',
});
console.log(`API ready: ${server.url} (docs ${server.url}/docs), Temporal ${config.address}, task queue ${config.taskQueue}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => engine.close()).then(() => process.exit(0));
  });
}
