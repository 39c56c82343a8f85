/**
 * The framework as a dependency: packed, installed from the tarball into a fresh project outside
 * this repository, type-checked against the published declarations, and the project's own
 * workflow (its own tool and step function) run end to end through the HTTP API.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, it } from 'node:test';
import type { TestContext } from 'node:test';
import type * as WorkflowBundleModule from '../../src/worker/workflow-bundle.ts';
import { postForm, readFrames } from '../support/http.ts';
import { Teardown } from '../support/teardown.ts';
import { createProject, exportTarget, packPackage, ROOT, run, TSC, TYPES_NODE } from './support/packed-package.ts';
import type { PackedPackage, Project } from './support/packed-package.ts';
import { ORDER_ANSWER, ORDER_APP, ORDER_WORKFLOW_ID, SIGNATURE, startOrderApp } from './support/order-app.ts';

/** Uses of the public types; each @ts-expect-error fails the check if the declarations were missing or loose. */
const TYPES = `import { Agent, defineTool, OpenAIResponses, Step, Team, Workflow } from 'durable-agents';
import type { RunEvent, StepFunction } from 'durable-agents';
import { ApiError, DurableAgentsClient } from 'durable-agents/client';
import { bundleWorkflows, createWorker } from 'durable-agents/worker';
import type { CreateWorkerOptions } from 'durable-agents/worker';

const double = defineTool<{ n: number }>({
  name: 'double',
  description: 'Doubles n.',
  parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  execute: ({ n }) => n * 2,
});
// @ts-expect-error: the arguments are typed
defineTool<{ n: number }>({ name: 'bad', description: 'd', parameters: { type: 'object' }, execute: ({ m }) => m });
// @ts-expect-error: an agent needs a model
new Agent({ name: 'No Model' });

const model = new OpenAIResponses({ id: 'gpt-5.2' });
const team = new Team({ name: 'Team', members: [new Agent({ name: 'Doubler', model, tools: [double] })] });
const sign: StepFunction = ({ previousStepContent }) => \`\${previousStepContent ?? ''}!\`;
export const workflow = new Workflow({ name: 'Typed', steps: [new Step({ name: 'Team', team }), new Step({ name: 'Sign', executor: sign })] });

const client = new DurableAgentsClient({ baseUrl: 'http://localhost:7777' });
export async function follow(runId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const event of client.events('typed', runId)) names.push(event.event);
  const run = await client.getRun('typed', runId);
  // @ts-expect-error: status is a string
  const status: number = run.status;
  return [...names, String(status)];
}
export const isApiError = (err: unknown) => err instanceof ApiError && err.status === 404;
export const names = (events: RunEvent[]) => events.map((event) => event.event);

export async function startWorker(options: CreateWorkerOptions) {
  const worker = await createWorker({ ...options, workflowBundle: await bundleWorkflows() });
  // @ts-expect-error: a worker needs workflows
  await createWorker({});
  return worker;
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2023',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noEmit: true,
    verbatimModuleSyntax: true,
    erasableSyntaxOnly: true,
    // The Temporal SDK's declarations do not check on their own (they need @types/ms); ours are checked through their use in types.ts.
    skipLibCheck: true,
  },
  include: ['*.ts'],
});

/** The app of the README's "Use it in your project", as a user copies it. */
function readmeApp(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your project'));
  const app = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(app?.includes("from 'durable-agents'"), 'the README shows an app using the package');
  return app!;
}

const teardown = new Teardown();
let packed: PackedPackage;
let project: Project;

before(
  async () => {
    packed = await teardown.start('the packed package', packPackage(), (p) => p.remove());
    project = await teardown.start('the project', createProject(packed.tarball, { 'app.ts': ORDER_APP, 'types.ts': TYPES, 'readme.ts': readmeApp(), 'tsconfig.json': TSCONFIG }, [TYPES_NODE]), (p) => p.remove());
  },
  { timeout: 420_000 },
);

after(() => teardown.run());

it('packs compiled JavaScript with declarations, source maps, the prebuilt workflow bundle and the starter, and nothing else', (t: TestContext) => {
  t.diagnostic(`packed package: ${(packed.bytes / 1024).toFixed(0)} KiB, ${packed.files.length} files`);
  const { files, manifest } = packed;
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/workflow-bundle.js', 'dist/workflow-bundle.json', 'templates/starter/app.ts', 'README.md', 'package.json']) {
    assert.ok(files.includes(file), `the package lacks ${file}`);
  }
  const strays = files.filter((file) => !/^(dist|templates)\//.test(file) && !['README.md', 'package.json'].includes(file));
  assert.deepEqual(strays, [], 'only dist/, templates/, README.md and package.json ship');
  assert.ok(!files.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !file.startsWith('templates/')), 'no TypeScript sources ship');

  assert.equal(manifest.private, undefined);
  assert.equal(manifest.dependencies.node, undefined, 'Node.js itself stays a development dependency');
  assert.match(manifest.engines.node, /^>=2\d/);
  for (const subpath of ['.', './client', './worker', './workflows']) {
    const entry = manifest.exports[subpath];
    assert.ok(entry && typeof entry === 'object' && entry.types, `exports ${subpath} has types`);
    assert.ok(files.includes(exportTarget(manifest, subpath)), `exports ${subpath} points at a shipped file`);
    assert.ok(files.includes(entry.types!.replace(/^\.\//, '')), `exports ${subpath} types point at a shipped file`);
  }
  const bin = manifest.bin['durable-agents']!;
  assert.match(bin, /^dist\/.*\.js$/);
  assert.ok(files.includes(bin));
  assert.match(readFileSync(join(packed.unpacked, bin), 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

it("type-checks a project against the published declarations (the README's app too)", async () => {
  const result = await run(process.execPath, [TSC, '-p', project.dir], { cwd: project.dir });
  assert.equal(result.status, 0, `tsc --noEmit in the project failed:\n${result.stdout}${result.stderr}`);
  // Able to fail: a wrong use is reported.
  writeFileSync(join(project.dir, 'wrong.ts'), `import { Agent } from 'durable-agents';\nnew Agent({ name: 42 });\n`);
  const wrong = await run(process.execPath, [TSC, '-p', project.dir], { cwd: project.dir });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout, /wrong\.ts.*TS2322/);
});

it('runs the CLI through npx', async () => {
  const help = await run('npx', ['--offline', 'durable-agents', 'help'], { cwd: project.dir });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /usage: durable-agents/);
  assert.match(help.stdout, /init <dir>/);
});

it("runs the project's own workflow end to end: started through the HTTP API, streamed, completed", async (t: TestContext) => {
  const { apiUrl, openai, env, readyMs } = await startOrderApp(teardown, project.dir);
  t.diagnostic(`the project's app (Temporal connection, worker, API) was ready in ${readyMs} ms`);

  const workflows = await run('npx', ['--offline', 'durable-agents', 'workflows', '--url', apiUrl], { cwd: project.dir, env });
  assert.match(workflows.stdout, new RegExp(`${ORDER_WORKFLOW_ID}\\s+Order Help`), workflows.stderr);

  const response = await postForm(`${apiUrl}/workflows/${ORDER_WORKFLOW_ID}/runs`, { message: 'Where is order A-1001?', stream: 'true' });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  assert.equal(response.headers.get('access-control-allow-origin'), null, 'CORS is off unless API_CORS_ORIGINS is set');
  const { events } = await readFrames(response, Infinity, 90_000);
  const names: string[] = events.map((event) => event.event);
  for (const name of ['WorkflowStarted', 'StepStarted', 'ToolCallStarted', 'ToolCallCompleted', 'RunCompleted', 'StepCompleted']) assert.ok(names.includes(name), `no ${name} in ${names.join(', ')}`);
  assert.equal(names.at(-1), 'WorkflowCompleted');
  // The run's log is gapless; live text frames between its events carry no index.
  const logged = events.filter((event) => typeof event.event_index === 'number');
  assert.deepEqual(
    logged.map((event) => event.event_index),
    logged.map((_, index) => index),
  );

  const toolResult = openai.requests.flatMap((request) => request.toolResults).at(0);
  assert.match(toolResult?.output ?? '', /"status":"shipped"/, "the project's own tool ran");
  const runId = events[0]!.run_id;
  const got = (await (await fetch(`${apiUrl}/workflows/${ORDER_WORKFLOW_ID}/runs/${runId}`)).json()) as { status: string; content: string };
  assert.equal(got.status, 'COMPLETED');
  assert.equal(got.content, `${ORDER_ANSWER}${SIGNATURE}`, "the project's own step function ran");
});

it('uses the prebuilt workflow bundle only while it matches the installed code, and bundles from node_modules otherwise', async () => {
  const installedModule = join(project.installed, 'dist', 'worker', 'workflow-bundle.js');
  const bundles = (await import(pathToFileURL(installedModule).href)) as typeof WorkflowBundleModule;
  const shipped = readFileSync(join(project.installed, 'dist', 'workflow-bundle.js'), 'utf8');
  assert.equal(bundles.prebuiltBundle()?.code, shipped, 'the installed package finds its prebuilt bundle');
  assert.equal((await bundles.bundleWorkflows()).code, shipped);

  const manifest = JSON.parse(readFileSync(join(project.installed, 'dist', 'workflow-bundle.json'), 'utf8')) as { files: Record<string, string> };
  const changed = join(project.installed, 'dist', Object.keys(manifest.files).find((file) => file !== 'workflows/index.js')!);
  assert.ok(existsSync(changed));
  const original = readFileSync(changed, 'utf8');
  appendFileSync(changed, '\n// changed after install\n');
  try {
    assert.equal(bundles.prebuiltBundle(), undefined, 'a changed workflow file makes the prebuilt bundle stale');
    const rebuilt = await bundles.bundleWorkflows();
    assert.notEqual(rebuilt.code, shipped);
    assert.ok(rebuilt.code.includes('// changed after install'), 'bundled anew from the installed code');
  } finally {
    writeFileSync(changed, original);
  }
  assert.equal(bundles.prebuiltBundle()?.code, shipped);
});
