/**
 * The API's metrics (src/server/http/metrics.ts, src/live/live-metrics.ts), scraped over HTTP from
 * the listener a process serves them on, before and after real runs through the API: requests by
 * route template and status with their latency, open SSE and WebSocket streams, runs started by
 * workflow, and the live lane's lag.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { MetricsRegistry } from '../../src/metrics/registry.ts';
import { serveMetrics } from '../../src/metrics/serve-metrics.ts';
import type { MetricsServer } from '../../src/metrics/serve-metrics.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { postForm, readFrames } from '../support/http.ts';
import { scrape } from '../support/metrics-scrape.ts';
import type { Scrape } from '../support/metrics-scrape.ts';
import { SocketClient } from '../support/socket-client.ts';
import { waitUntil } from '../support/wait.ts';

const writer = new Workflow({
  name: 'Metrics Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Metrics Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const TEXT = 'Counted once, by route and status. '.repeat(4);
const RUNS_ROUTE = '/workflows/{workflow_id}/runs';

let h: ApiHarness;
let metrics: MetricsServer;
let runsUrl: string;
before(async () => {
  const registry = new MetricsRegistry();
  h = await startApiHarness([writer], { heartbeatMs: 200, metrics: registry });
  metrics = await serveMetrics(registry, { port: 0, hostname: '127.0.0.1' });
  runsUrl = `${h.api.url}/workflows/metrics-writer/runs`;
});
after(async () => {
  await metrics?.close();
  await h?.close();
});

/** The change of one series between two scrapes. */
const moved = (before: Scrape, now: Scrape, name: string, labels?: Record<string, string>) => now.value(name, labels) - before.value(name, labels);

it('counts a streamed run: its request by route template, its latency, the open stream, the run started, the lag of its live text', async () => {
  let release: () => void = () => {};
  const answer = new Promise<void>((resolve) => (release = resolve));
  h.openai.setHandler(async () => {
    await answer;
    return { kind: 'text', text: TEXT, chunkDelayMs: 5 };
  });
  const start = await scrape(metrics.url);

  const response = await postForm(runsUrl, { message: 'go' }); // stream=true by default: SSE
  assert.equal(response.status, 200);
  // While the model has not answered, the stream is open, and the run is counted as started.
  const streaming = await waitUntil('the open SSE stream to be counted', async () => {
    const now = await scrape(metrics.url);
    return now.value('durable_agents_sse_clients') === 1 && now;
  });
  assert.equal(moved(start, streaming, 'durable_agents_runs_started_total', { workflow: 'metrics-writer' }), 1);
  release();
  const { events } = await readFrames(response);
  assert.equal(events.at(-1)?.event, 'WorkflowCompleted');

  const end = await waitUntil('the ended stream to be counted off', async () => {
    const now = await scrape(metrics.url);
    return now.value('durable_agents_sse_clients') === 0 && now;
  });
  const labels = { method: 'POST', route: RUNS_ROUTE, status: '200' };
  assert.equal(moved(start, end, 'durable_agents_http_requests_total', labels), 1);
  assert.equal(moved(start, end, 'durable_agents_http_request_duration_seconds_count', labels), 1);
  const buckets = end.find('durable_agents_http_request_duration_seconds_bucket', labels);
  assert.ok(buckets.length > 2, 'buckets up to +Inf');
  assert.deepEqual(buckets.map((bucket) => bucket.value), [...buckets.map((bucket) => bucket.value)].sort((a, b) => a - b), 'cumulative');
  assert.equal(buckets.at(-1)?.labels.le, '+Inf');
  assert.equal(buckets.at(-1)?.value, end.value('durable_agents_http_request_duration_seconds_count', labels));
  // The text went out live: each delta the tail took from the lane has its lag, and none fell back to the log.
  const live = events.filter((event) => event.event === 'RunContent' && typeof event.event_index !== 'number');
  assert.ok(live.length > 1, `text streamed live (${live.length} live frames)`);
  assert.ok(moved(start, end, 'durable_agents_live_lane_lag_seconds_count') >= live.length, 'a lag per live delta');
  assert.equal(moved(start, end, 'durable_agents_live_lane_fallbacks_total', { reason: 'gap' }), 0);
  assert.equal(moved(start, end, 'durable_agents_live_lane_fallbacks_total', { reason: 'late_join' }), 0);
  // Reading the run back is another route; a repeat of an idempotent start is no new run.
  const runId = events[0]!.run_id;
  await (await fetch(`${runsUrl}/${runId}`)).json();
  const read = await scrape(metrics.url);
  assert.equal(moved(end, read, 'durable_agents_http_requests_total', { method: 'GET', route: `${RUNS_ROUTE}/{run_id}`, status: '200' }), 1);
  assert.equal(moved(start, read, 'durable_agents_runs_started_total', { workflow: 'metrics-writer' }), 1);
});

it('labels requests by route template, never by raw path, and counts failures by their status', async () => {
  const start = await scrape(metrics.url);
  assert.equal((await fetch(`${runsUrl}/no-such-run`)).status, 404);
  assert.equal((await fetch(`${h.api.url}/workflows/no-such-workflow`)).status, 404);
  assert.equal((await fetch(`${h.api.url}/no/such/path`)).status, 404);
  assert.equal((await postForm(runsUrl, {})).status, 422);
  const now = await scrape(metrics.url);
  assert.equal(moved(start, now, 'durable_agents_http_requests_total', { method: 'GET', route: `${RUNS_ROUTE}/{run_id}`, status: '404' }), 1);
  assert.equal(moved(start, now, 'durable_agents_http_requests_total', { method: 'GET', route: '/workflows/{workflow_id}', status: '404' }), 1);
  assert.equal(moved(start, now, 'durable_agents_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }), 1);
  assert.equal(moved(start, now, 'durable_agents_http_requests_total', { method: 'POST', route: RUNS_ROUTE, status: '422' }), 1);
  const routes = new Set(now.find('durable_agents_http_requests_total').map((series) => series.labels.route));
  for (const route of routes) assert.doesNotMatch(route!, /no-such|no\/such/, `a raw path as a label: ${route}`);
  // Bad input starts nothing.
  assert.equal(moved(start, now, 'durable_agents_runs_started_total', { workflow: 'metrics-writer' }), 0);
});

it('counts open WebSocket connections', async () => {
  const socket = await SocketClient.open(h.api.url);
  try {
    await waitUntil('the WebSocket to be counted', async () => (await scrape(metrics.url)).value('durable_agents_websocket_clients') === 1);
  } finally {
    socket.close();
  }
  await waitUntil('the closed WebSocket to be counted off', async () => (await scrape(metrics.url)).value('durable_agents_websocket_clients') === 0);
});
