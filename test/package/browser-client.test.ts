/**
 * `durable-agents/client` in a real browser: headless Chromium loads a page (served here, on an
 * origin other than the API's) that imports the client from the installed package through an
 * import map, starts a run of a project's own workflow and streams its events; the page reports
 * what it received back to this test. The API allows the page's origin with API_CORS_ORIGINS.
 *
 * Chromium comes from Debian (`apt-get install chromium`; scripts/setup.sh installs it). Without
 * it the test fails in CI (test/support/ci.ts) and skips, loudly, elsewhere.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import type { TestContext } from 'node:test';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { findChromium } from '../support/chromium-page.ts';
import { killProcess, trackChild } from '../support/processes.ts';
import { Teardown } from '../support/teardown.ts';
import { waitUntil } from '../support/wait.ts';
import { createProject, exportTarget, packPackage } from './support/packed-package.ts';
import type { PackedPackage, Project } from './support/packed-package.ts';
import { ORDER_ANSWER, ORDER_APP, ORDER_WORKFLOW_ID, SIGNATURE, startOrderApp } from './support/order-app.ts';

interface PageReport {
  error?: string;
  runId?: string;
  events?: RunEvent[];
  run?: { status: string; content: string };
}

const teardown = new Teardown();
let packed: PackedPackage;
let project: Project;
let clientEntry: string;

before(
  async () => {
    packed = await teardown.start('the packed package', packPackage(), (p) => p.remove());
    project = await teardown.start('the project', createProject(packed.tarball, { 'app.ts': ORDER_APP }), (p) => p.remove());
    clientEntry = exportTarget(packed.manifest, './client');
  },
  { timeout: 420_000 },
);

after(() => teardown.run());

it('the client subpath imports nothing but its own relative modules (no Node built-ins, no packages)', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      assert.match(specifier!, /^\.\.?\//, `${relative(project.installed, file)} imports ${specifier}`);
      visit(resolve(dirname(file), specifier!));
    }
  };
  visit(join(project.installed, clientEntry));
  assert.ok(seen.size >= 2, `the client's module graph: ${[...seen].join(', ')}`);
});

it('streams a run to a page in headless Chromium, across origins', async (t: TestContext) => {
  const chromium = findChromium();
  const skip = skipWithoutTool('the browser client in Chromium (test/package/browser-client.test.ts)', chromium ? undefined : 'Chromium not found (apt-get install chromium, or CHROMIUM_PATH)');
  if (skip || !chromium) return t.skip(skip || 'no Chromium');
  const reports: PageReport[] = [];
  const pagePort = await freePort();
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const app = await startOrderApp(teardown, project.dir, { API_CORS_ORIGINS: `http://elsewhere.example, ${pageOrigin}` });
  await teardown.start('the page server', servePage(pagePort, app.apiUrl, reports), (server) => new Promise((done) => server.close(done)));

  // The API answers the page's preflight, and no other origin's.
  const preflight = (origin: string) =>
    fetch(`${app.apiUrl}/workflows/${ORDER_WORKFLOW_ID}/runs`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
  const allowed = await preflight(pageOrigin);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), pageOrigin);
  assert.equal((await preflight('http://127.0.0.1:1')).headers.get('access-control-allow-origin'), null);

  const profile = mkdtempSync(join(tmpdir(), 'durable-agents-chromium-'));
  teardown.add('the Chromium profile', () => rmSync(profile, { recursive: true, force: true }));
  const browser = trackChild(
    spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', `--user-data-dir=${profile}`, `${pageOrigin}/`], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
    { group: true },
  );
  let browserLog = '';
  browser.stderr!.on('data', (chunk: Buffer) => (browserLog = (browserLog + String(chunk)).slice(-8000)));
  teardown.add('Chromium', () => killProcess(browser));

  const report = await waitUntil('the page to report the streamed run', () => reports[0], { timeoutMs: 90_000, intervalMs: 200 }).catch((err: Error) =>
    assert.fail(`${err.message}\nChromium (exit code ${browser.exitCode}) said:\n${browserLog}`),
  );
  assert.equal(report.error, undefined, `the page failed: ${report.error}`);
  const names: string[] = report.events!.map((event) => event.event);
  for (const name of ['WorkflowStarted', 'ToolCallCompleted', 'RunContent', 'StepCompleted']) assert.ok(names.includes(name), `the page got no ${name}: ${names.join(', ')}`);
  assert.equal(names.at(-1), 'WorkflowCompleted');
  // The run's log is gapless; live text frames between its events carry no index.
  const logged = report.events!.filter((event) => typeof event.event_index === 'number');
  assert.deepEqual(
    logged.map((event) => event.event_index),
    logged.map((_, index) => index),
  );
  assert.deepEqual(report.run, { status: 'COMPLETED', content: `${ORDER_ANSWER}${SIGNATURE}` });
});

/**
 * The page, the installed package's files under /pkg/ (what a bundler or static server would
 * serve), and /report, where the page posts what it received.
 */
function servePage(port: number, apiUrl: string, reports: PageReport[]): Promise<Server> {
  const page = pageHtml(apiUrl, `/pkg/${clientEntry}`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://page').pathname);
    if (req.method === 'POST' && path === '/report') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += String(chunk)));
      req.on('end', () => {
        reports.push(JSON.parse(body) as PageReport);
        res.writeHead(204).end();
      });
      return;
    }
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    const file = resolve(project.installed, `.${path.replace(/^\/pkg/, '')}`);
    if (path.startsWith('/pkg/') && file.startsWith(`${project.installed}/`) && existsSync(file)) {
      const type = extname(file) === '.js' ? 'text/javascript' : 'application/json';
      return void res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(readFileSync(file));
    }
    res.writeHead(404).end();
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ready(server));
  });
}

function pageHtml(apiUrl: string, clientUrl: string): string {
  return `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>durable-agents client</title>
  <script type="importmap">${JSON.stringify({ imports: { 'durable-agents/client': clientUrl } })}</script>
</head>
<body>
  <ol id="events"></ol>
  <script type="module">
    const report = (body) => fetch('/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    window.addEventListener('unhandledrejection', (event) => report({ error: String(event.reason?.stack ?? event.reason) }));
    try {
      const { DurableAgentsClient } = await import('durable-agents/client');
      const client = new DurableAgentsClient({ baseUrl: ${JSON.stringify(apiUrl)} });
      const { run_id } = await client.startRun(${JSON.stringify(ORDER_WORKFLOW_ID)}, { message: 'Where is order A-1001?' });
      const events = [];
      for await (const event of client.events(${JSON.stringify(ORDER_WORKFLOW_ID)}, run_id)) {
        events.push(event);
        const item = document.createElement('li');
        item.textContent = event.event_index + ' ' + event.event;
        document.getElementById('events').append(item);
      }
      const run = await client.getRun(${JSON.stringify(ORDER_WORKFLOW_ID)}, run_id);
      await report({ runId: run_id, events, run: { status: run.status, content: run.content } });
    } catch (err) {
      await report({ error: String(err?.stack ?? err) });
    }
  </script>
</body>
</html>`;
}
