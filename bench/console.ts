/**
 * The run console (/console) in headless Chromium against the all-in-one API:
 * - first paint and the time until 1,000 (ended) runs are listed (User Timing measure
 *   `console-runs-drawn`: when the list was drawn and how long drawing took), the page's JS heap
 *   and DOM size then, and the API's own time to answer that list;
 * - token-to-page latency: the fake streams fixed-width chunks D ms apart for each of the
 *   content-creation workflow's model calls (as bench/token-latency.ts); the page tells each piece
 *   of text the moment it shows it (`console-text`). For each chunk: latency = (time the page
 *   showed all of it) − (time the fake wrote it), both in Unix milliseconds of this machine.
 *
 *   node bench/console.ts [--runs-listed 1000] [--chunks 200] [--delay 50] [--ttft 1500] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { contentCreationWorkflow } from '../src/app/content-creation.ts';
import { Step } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startApiHarness } from '../test/support/api-harness.ts';
import { findChromium, openChromium } from '../test/support/chromium-page.ts';
import { postJson } from '../test/support/http.ts';
import { waitUntil } from '../test/support/wait.ts';
import { watchDeltaWrites } from './delta-writes.ts';
import { machine, mapLimit, printMachine, printTable, round, summarize } from './stats.ts';

const { values: args } = parseArgs({
  options: { 'runs-listed': { type: 'string', default: '1000' }, chunks: { type: 'string', default: '200' }, delay: { type: 'string', default: '50' }, ttft: { type: 'string', default: '1500' }, runs: { type: 'string', default: '3' } },
});
const listed = Number(args['runs-listed']);
const chunkCount = Number(args.chunks);
const chunkDelayMs = Number(args.delay);
// Long enough for the page to load and follow the run before the first token.
const ttftMs = Number(args.ttft);
const runs = Number(args.runs);

// When the fake wrote each text delta of the current run (Unix ms).
const writes = watchDeltaWrites(Date.now);
const written = writes.times;

const chunks = Array.from({ length: chunkCount }, (_, i) => `t${String(i).padStart(4, '0')} `);
const WIDTH = chunks[0]!.length;
const filler = new Workflow({ name: 'Filler', steps: [new Step({ name: 'Done', executor: () => 'done' })] });

const chromium = findChromium();
if (!chromium) throw new Error('Chromium not found (apt-get install chromium, or CHROMIUM_PATH)');
const h = await startApiHarness([contentCreationWorkflow, filler]);
const page = await openChromium(chromium);
try {
  printMachine();
  h.openai.setHandler(() => ({ kind: 'text', text: chunks.join(''), chunks, chunkDelayMs, delayMs: ttftMs }));

  console.log(`starting ${listed} runs to list ...`);
  await mapLimit(Array.from({ length: listed }), 16, () => postJson(`${h.api.url}/workflows/${filler.id}/runs`, { message: 'fill', stream: false, background: true }));
  // Ended, so that the page is timed on a machine no longer busy with them.
  await waitUntil(`${listed} runs completed`, async () => ((await (await fetch(`${h.api.url}/runs?status=COMPLETED&limit=${listed}`)).json()) as unknown[]).length >= listed, { timeoutMs: 600_000, intervalMs: 1000 });
  const apiMs: number[] = [];
  for (let read = 0; read < 5; read++) {
    const started = performance.now();
    await (await fetch(`${h.api.url}/runs?limit=${listed}`)).json();
    apiMs.push(performance.now() - started);
  }
  await page.open(`${h.api.url}/console?limit=${listed}`);
  await waitUntil('the page to list the runs', () => page.evaluate<boolean>(`document.querySelector('#runs').dataset.count === '${listed}'`), { timeoutMs: 60_000 });
  const paint = await page.evaluate<{ firstPaint: number; listed: number; drawMs: number; heapMb: number; domNodes: number }>(`({
    firstPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    listed: (performance.getEntriesByName('console-runs-drawn')[0]?.startTime ?? NaN) + (performance.getEntriesByName('console-runs-drawn')[0]?.duration ?? NaN),
    drawMs: performance.getEntriesByName('console-runs-drawn')[0]?.duration ?? -1,
    heapMb: (performance.memory?.usedJSHeapSize ?? 0) / 1e6,
    domNodes: document.getElementsByTagName('*').length,
  })`);
  const api = summarize(apiMs);
  printTable([{ 'runs listed': listed, 'GET /runs p50 ms': round(api.p50), 'first paint ms': round(paint.firstPaint), 'listed ms': round(paint.listed), 'of which drawing ms': round(paint.drawMs), 'JS heap MB': round(paint.heapMb), 'DOM nodes': paint.domNodes }]);

  const lags: number[] = [];
  for (let run = 0; run < runs; run++) {
    writes.clear();
    const started = await postJson(`${h.api.url}/workflows/${contentCreationWorkflow.id}/runs`, { message: 'go', stream: false, background: true });
    const { run_id: runId } = (await started.json()) as { run_id: string };
    await page.open('about:blank');
    await page.open(`${h.api.url}/console?limit=20#/runs/${contentCreationWorkflow.id}/${runId}`);
    const early = await page.evaluate<number>(`(() => {
      window.shown = [];
      window.addEventListener('console-text', (event) => window.shown.push([Date.now(), event.detail.length]));
      return [...document.querySelectorAll('#run .streamed')].reduce((sum, pre) => sum + pre.textContent.length, 0);
    })()`);
    if (early > 0) throw new Error(`the page showed text before the bench listened: raise --ttft (${ttftMs} ms)`);
    await waitUntil('the run to end on the page', () => page.evaluate<boolean>(`['COMPLETED', 'ERROR'].includes(document.querySelector('#run .status')?.textContent)`), { timeoutMs: 2 * chunkCount * chunkDelayMs + 120_000, intervalMs: 500 });
    const shown = await page.evaluate<[number, number][]>('window.shown');
    let offset = 0;
    for (const [at, length] of shown) {
      const before = offset;
      offset += length;
      for (let i = Math.floor(before / WIDTH); i < Math.floor(offset / WIDTH); i++) {
        if (written[i] === undefined) throw new Error(`chunk ${i} was shown before the fake wrote it`);
        lags.push(at - written[i]!);
      }
    }
  }
  const lag = summarize(lags);
  printTable([{ tokens: lag.n, 'p50 ms': round(lag.p50), 'p99 ms': round(lag.p99), 'max ms': round(lag.max) }]);
  console.log(JSON.stringify({ bench: 'console', ...machine(), listed, listApiMs: round(api.p50), paint, chunks: chunkCount, chunkDelayMs, ttftMs, runs, lag: { n: lag.n, p50: round(lag.p50), p99: round(lag.p99), max: round(lag.max) } }));
} finally {
  writes.restore();
  await page.close();
  await h.close();
}
