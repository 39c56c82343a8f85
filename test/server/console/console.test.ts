/**
 * The run console (/console) in headless Chromium against a real API, worker and Temporal: a
 * run list follows the API's stream of run changes (a new run appears without polling or a
 * reload); a run's text appears on the page while the model streams it, with its tool call (arguments, a big
 * result behind a click), tokens by model, event indexes and a link to the Web UI; a failed run is
 * retried from the page and a paused run continued from it; behind a key, the page asks for one.
 * Screenshots go to test-output/console-*.png for a person to look at.
 *
 * Chromium comes from Debian (`apt-get install chromium`; scripts/setup.sh installs it). Without
 * it the browser tests fail in CI (test/support/ci.ts) and skip, loudly, elsewhere.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { skipWithoutTool } from '../../support/ci.ts';
import { findChromium, openChromium } from '../../support/chromium-page.ts';
import { makeFlakyStep } from '../../support/flaky-step.ts';
import type { ChromiumPage } from '../../support/chromium-page.ts';
import { postJson } from '../../support/http.ts';
import { ADMIN, userKeysAuth } from '../../support/user-keys.ts';
import { waitUntil } from '../../support/wait.ts';

const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));
const WEB_UI = 'http://127.0.0.1:8233';
const CATALOGUE = `catalogue: ${'lamp, chair, table; '.repeat(100)}`;

const lookup = defineTool({ name: 'lookup', description: 'The catalogue', parameters: { type: 'object', properties: { shelf: { type: 'string' } } }, execute: () => CATALOGUE });
const writer = new Workflow({
  name: 'Console Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [lookup] }) })],
});
/** Flaky fails the run while `flaky.failing`, until the test "deploys the fix". */
const { step: flakyStep, flaky } = makeFlakyStep({ onError: 'fail' });
const sender = new Workflow({ name: 'Console Sender', steps: [new Step({ name: 'Prepare', executor: () => 'prepared' }), flakyStep] });
const approval = new Workflow({ name: 'Console Approval', steps: [new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish the post now?', executor: () => 'published the post' })] });

let h: ApiHarness;
let secured: ApiServer;
let page: ChromiumPage | undefined;
const chromium = findChromium();
const skip = skipWithoutTool('the run console in Chromium (test/server/console/console.test.ts)', chromium ? undefined : 'Chromium not found (apt-get install chromium, or CHROMIUM_PATH)');

before(async () => {
  h = await startApiHarness([writer, sender, approval], { webUiUrl: WEB_UI });
  secured = await h.serve({ authenticate: userKeysAuth() });
  if (chromium) page = await openChromium(chromium, { width: 1400, height: 1000 });
});
after(async () => {
  await page?.close();
  await h?.close();
});

async function startRun(workflowId: string, message: string): Promise<string> {
  const response = await postJson(`${h.api.url}/workflows/${workflowId}/runs`, { message, stream: false, background: true });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

const runStatus = async (workflowId: string, runId: string) => ((await (await fetch(`${h.api.url}/workflows/${workflowId}/runs/${runId}`)).json()) as { status: string }).status;

/** The status the run's view shows. */
const shownStatus = (browser: ChromiumPage) => browser.evaluate<string | null>(`document.querySelector('#run .status')?.textContent ?? null`);
const waitForShownStatus = (browser: ChromiumPage, status: string) => waitUntil(`the page to show the run ${status}`, async () => (await shownStatus(browser)) === status, { timeoutMs: 60_000, intervalMs: 200 });

/**
 * Opens the console on a run. From a blank page: a new address that differs from the page's only
 * in its hash would not load the page again (and fire no load event).
 */
async function openRun(browser: ChromiumPage, workflowId: string, runId: string): Promise<void> {
  await browser.open('about:blank');
  await browser.open(`${h.api.url}/console#/runs/${workflowId}/${runId}`);
}

const click = (browser: ChromiumPage, action: string) =>
  browser.evaluate<boolean>(`(() => { const button = document.querySelector('#run [data-action=${action}]'); button?.click(); return Boolean(button); })()`);

function saveScreenshot(name: string, png: Buffer): void {
  mkdirSync(OUTPUT, { recursive: true });
  writeFileSync(join(OUTPUT, `console-${name}.png`), png);
}

describe('the page and its files', () => {
  it('serves the page, its styles and modules without a key (they hold no data), and nothing else under /console', { timeout: 30_000 }, async () => {
    for (const [path, type] of [['/console', 'text/html'], ['/console/console.css', 'text/css'], ['/console/console.js', 'text/javascript'], ['/console/run-view.js', 'text/javascript']] as const) {
      const response = await fetch(`${secured.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', new RegExp(`^${type}`), path);
    }
    assert.match(await (await fetch(`${secured.url}/console`)).text(), /<script type="module" src="\/console\/console.js">/);
    assert.equal((await fetch(`${h.api.url}/console/routes.ts`)).status, 404);
    assert.equal((await fetch(`${h.api.url}/console/..%2Froutes.ts`)).status, 404);
    // The data stays behind the key.
    assert.equal((await fetch(`${secured.url}/runs`)).status, 401);
  });
});

describe('in Chromium', () => {
  it('the run list follows the API’s stream of changes: a new run appears without a reload, and no list is read while nothing changes', { timeout: 120_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    await page.open('about:blank');
    await page.open(`${h.api.url}/console`);
    await waitUntil('the list to follow the stream', () => page!.evaluate<boolean>(`document.querySelector('#runs')?.dataset.live === 'true'`), { timeoutMs: 30_000 });
    // The page's reads of the list, as the browser records its requests (Resource Timing).
    const listReads = () => page!.evaluate<number>(`performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === '/runs').length`);
    await waitUntil('the list read once the stream is ready', async () => (await listReads()) >= 2);
    const before = await listReads();
    // Longer than the 2 s the list was polled at before it followed the stream: a poll would show.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await listReads(), before, 'no list read while no run changed');

    await page.evaluate(`window.sameDocument = true`);
    h.openai.enqueue({ kind: 'text', text: 'Listed.' });
    const runId = await startRun(writer.id, 'A run for the list');
    await waitUntil('the new run on the list', () => page!.evaluate<boolean>(`Boolean(document.querySelector('#runs a[href*="${runId}"]'))`), { timeoutMs: 30_000 });
    assert.equal(await page.evaluate<boolean>(`window.sameDocument === true`), true, 'the page was not reloaded');
    assert.ok((await listReads()) > before, 'the list was read again for the change');
    await h.engine.waitForRun(runId);
  });

  it("shows a run's text while the model streams it, its tool call, tokens by model, event indexes and the Web UI link", { timeout: 180_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    const words = Array.from({ length: 24 }, (_, i) => `word${i} `);
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { shelf: 'B2' } }] }, { kind: 'text', text: words.join(''), chunks: words, chunkDelayMs: 250 });
    const runId = await startRun(writer.id, 'What is on shelf B2?');
    await openRun(page, writer.id, runId);

    // Part of the answer is on the page while the rest is still to come.
    const partial = await page.waitForText('word3');
    assert.ok(!partial.includes('word23'), `the page had the whole answer at once:\n${partial}`);
    assert.equal(await shownStatus(page), 'RUNNING');
    saveScreenshot('streaming', await page.screenshot());

    await waitForShownStatus(page, 'COMPLETED');
    const text = await page.waitForText('word23');
    assert.ok(text.includes(words.join('').trim()), 'the whole answer, in order, once');
    for (const shown of ['ToolCallStarted', 'ToolCallCompleted', 'lookup', '{"shelf":"B2"}', `result (${CATALOGUE.length} characters)`, 'WorkflowCompleted', '#0 WorkflowStarted', 'Write › Writer Agent', 'Open in Temporal Web UI']) {
      assert.ok(text.includes(shown), `the page shows ${shown}:\n${text}`);
    }
    // The answer's text comes after the tool call that it follows.
    assert.ok(text.indexOf('ToolCallCompleted') < text.indexOf('word0'), `the text follows the tool call:\n${text}`);
    // The big result shows its start; the rest is a click away.
    assert.ok(!text.includes(CATALOGUE), 'the big result is not shown whole');
    assert.equal(await page.evaluate<number>(`document.querySelector('#run details pre').textContent.length`), CATALOGUE.length);
    // Two model calls of gpt-5.2: the tool call, then the answer.
    const tokens = await page.evaluate<string[]>(`[...document.querySelectorAll('#run .tokens tbody td')].map((cell) => cell.textContent)`);
    assert.deepEqual(tokens.slice(0, 2), ['gpt-5.2', '2']);
    assert.equal(await page.evaluate<string>(`document.querySelector('#run .web-ui').href`), `${WEB_UI}/namespaces/default/workflows/${runId}`);
    // The list shows the run, linked to this view.
    assert.ok(await page.evaluate<boolean>(`Boolean(document.querySelector('#runs a[href="#/runs/${writer.id}/${runId}"]'))`));
    saveScreenshot('streamed', await page.screenshot());
  });

  it('retries a failed run from the failed step, from the page', { timeout: 180_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    flaky.failing = true;
    const runId = await startRun(sender.id, 'the newsletter');
    await openRun(page, sender.id, runId);
    await waitForShownStatus(page, 'ERROR');
    const failed = await page.waitForText('flaky step failed');
    assert.ok(failed.includes('Retry from the failed step'), `the page offers a retry:\n${failed}`);
    saveScreenshot('failed', await page.screenshot());

    flaky.failing = false;
    assert.ok(await click(page, 'retry'), 'the retry button is there');
    await waitForShownStatus(page, 'COMPLETED');
    const text = await page.waitForText('WorkflowCompleted');
    assert.equal(await runStatus(sender.id, runId), 'COMPLETED');
    // Prepare ran once: the retry started at Flaky, and the log went on after the error.
    assert.equal(text.match(/StepStarted\s+Prepare/g)?.length, 1, text);
    assert.equal(text.match(/StepStarted\s+Flaky/g)?.length, 2, text);
    assert.ok(!(await page.evaluate<boolean>(`Boolean(document.querySelector('#run [data-action=retry]'))`)), 'no retry offered for a completed run');
    saveScreenshot('retried', await page.screenshot());
  });

  it('continues a paused run from the page', { timeout: 180_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    const runId = await startRun(approval.id, 'the launch post');
    await openRun(page, approval.id, runId);
    await waitForShownStatus(page, 'PAUSED');
    const paused = await page.waitForText('Publish the post now?');
    assert.ok(paused.includes('WorkflowPaused'), paused);
    saveScreenshot('paused', await page.screenshot());

    assert.ok(await click(page, 'continue'), 'the continue button is there');
    await waitForShownStatus(page, 'COMPLETED');
    const text = await page.waitForText('published the post');
    assert.ok(!text.includes('Publish the post now?'), 'the question is gone once answered');
    assert.equal(await runStatus(approval.id, runId), 'COMPLETED');
    saveScreenshot('continued', await page.screenshot());
  });

  it('offers Fork exactly when the API serves forks, and opens the fork it starts', { timeout: 180_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    flaky.failing = false;
    const runId = await startRun(sender.id, 'the digest');
    await openRun(page, sender.id, runId);
    await waitForShownStatus(page, 'COMPLETED');
    await page.waitForText('WorkflowCompleted');
    const described = (await (await fetch(`${h.api.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const served = described.paths['/workflows/{workflow_id}/runs/{run_id}/fork'] !== undefined;
    // The actions are drawn once the run's state is read again after its events.
    await waitUntil('the actions to be drawn for the ended run', () => page!.evaluate<boolean>(`document.querySelector('#run [data-action=cancel]') === null`));
    const offered = await waitUntil('the fork button to be offered, or not', async () => {
      const button = await page!.evaluate<boolean>(`Boolean(document.querySelector('#run [data-action=fork]'))`);
      return button === served ? { button } : undefined;
    });
    assert.equal(offered.button, served);
    if (!served) return;
    await page.evaluate(`document.querySelector('#run .fork-step').value = 'Flaky'`);
    assert.ok(await click(page, 'fork'));
    const forkId = await waitUntil('the page to show the fork', async () => {
      const hash = await page!.evaluate<string>('location.hash');
      return hash.endsWith(runId) ? undefined : decodeURIComponent(hash.split('/').at(-1)!);
    });
    await waitForShownStatus(page, 'COMPLETED');
    assert.equal(await runStatus(sender.id, forkId), 'COMPLETED');
  });

  it('asks for a key when the API wants one, and lists runs with it', { timeout: 180_000 }, async (t: TestContext) => {
    if (skip || !page) return t.skip(skip || 'no Chromium');
    await page.open('about:blank');
    await page.open(`${secured.url}/console`);
    await page.waitForText('This API needs a key.');
    await page.evaluate(`(() => { const form = document.querySelector('#key-form'); form.querySelector('input').value = 'wrong'; form.requestSubmit(); })()`);
    await page.waitForText('That key was not accepted.');
    await page.evaluate(`(() => { const form = document.querySelector('#key-form'); form.querySelector('input').value = ${JSON.stringify(ADMIN)}; form.requestSubmit(); })()`);
    await waitUntil('the page to list runs', () => page!.evaluate<boolean>(`document.body.dataset.ready === 'true' && Number(document.querySelector('#runs').dataset.count) >= 3`));
    // By status: the paused-then-continued and the retried runs are COMPLETED, none is listed as PAUSED.
    await page.evaluate(`(() => { const filter = document.querySelector('#runs .status-filter'); filter.value = 'PAUSED'; filter.dispatchEvent(new Event('change')); })()`);
    await waitUntil('the list filtered by status', () => page!.evaluate<boolean>(`document.querySelector('#runs').dataset.count === '0'`));
    assert.equal(await page.evaluate<string>(`document.querySelector('#key-form').hidden ? 'hidden' : 'shown'`), 'hidden');
  });
});
