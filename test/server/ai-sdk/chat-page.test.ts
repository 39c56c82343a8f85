/**
 * `useChat` in a real browser: a page with `@ai-sdk/react` (bundled here with esbuild) in headless
 * Chromium sends a message, is reloaded while the run is still answering, resumes the chat's run
 * (`resume: true`) and ends with the whole answer exactly once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { build } from 'esbuild';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { findChromium, openChromium } from '../../support/chromium-page.ts';
import { skipWithoutTool } from '../../support/ci.ts';
import { waitUntil } from '../../support/wait.ts';

const writer = new Workflow({
  name: 'Page Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Page Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const ANSWER = 'A reloaded page shows every word once. '.repeat(10).trim();

let h: ApiHarness;
let page: Server;
let pageUrl: string;
before(async () => {
  h = await startApiHarness([writer], { heartbeatMs: 200, corsOrigins: ['*'] });
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'chat-page', 'page.js')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const html = `<!doctype html><html><body><div id="root"></div><script>${bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script')}</script></body></html>`;
  page = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as { port: number }).port}/`;
});
after(async () => {
  await new Promise((resolve) => (page ? page.close(resolve) : resolve(undefined)));
  await h?.close();
});

it('a page reloaded mid-run resumes the chat and shows the whole answer exactly once', { timeout: 180_000 }, async (t) => {
  const chromium = findChromium();
  const skip = skipWithoutTool('useChat in Chromium', chromium ? undefined : 'Chromium not found (apt-get install chromium, or CHROMIUM_PATH)');
  if (skip || !chromium) return t.skip(skip || 'no Chromium');
  h.openai.enqueue({ kind: 'text', text: ANSWER, chunkDelayMs: 50 });
  const chat = new URLSearchParams({ chat: randomUUID(), api: `${h.api.url}/ai-sdk/workflows/${writer.id}/chat` });
  const browser = await openChromium(chromium, { width: 900, height: 700 });
  try {
    const answerText = () => browser.evaluate<string[]>('[...document.querySelectorAll("article.answer")].map((a) => a.textContent)');
    await browser.open(`${pageUrl}?${chat}&send=1`);
    const partial = await waitUntil('some of the answer on the page', async () => {
      const [text] = await answerText();
      return text && text.length >= 20 ? text : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    assert.ok(partial.length < ANSWER.length, 'reloaded before the answer ended');

    await browser.open(`${pageUrl}?${chat}`);
    // The answer repeats itself: wait for as much text as it has (no more ever comes), then compare.
    const shown = await waitUntil('the whole answer on the reloaded page', async () => {
      const texts = await answerText();
      return texts.length > 1 || (texts[0]?.length ?? 0) >= ANSWER.length ? texts : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    await browser.waitForText('status: ready', 60_000);
    assert.deepEqual(shown, [ANSWER], 'one answer, whole, once');
    assert.doesNotMatch(await browser.text(), /error:/);
  } finally {
    await browser.close();
  }
});
