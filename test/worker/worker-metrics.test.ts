/**
 * A worker process's metrics: started as `npm run worker` is (src/entrypoints/worker.ts) with
 * METRICS_PORT and TEMPORAL_SDK_METRICS_PORT, it serves the Temporal SDK's own metrics on one port
 * and ours on the other. After a content-creation run, both moved: the SDK's `temporal_*` for the
 * worker's task queue, and our model calls (by provider and model), tokens, tool calls (by tool
 * and outcome), blob store bytes and latencies, and the live lane's messages.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startHarness, collectEvents } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { useLocalDataDir } from '../support/local-data-dir.ts';
import type { LocalDataDir } from '../support/local-data-dir.ts';
import { killChildren, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { scrape } from '../support/metrics-scrape.ts';
import { waitUntil } from '../support/wait.ts';

const MODEL = { provider: 'openai-responses', model: 'gpt-5.2' };
let h: Harness;
let dataDir: LocalDataDir;
let ours: string;
let sdk: string;

before(async () => {
  // The worker's blobs in a folder of this test's own, shared with the harness's engine.
  dataDir = await useLocalDataDir('worker-metrics');
  h = await startHarness();
  h.openai.setHandler(contentCreationReply);
  const [port, sdkPort] = [await freePort(), await freePort()];
  ours = `http://127.0.0.1:${port}/metrics`;
  sdk = `http://127.0.0.1:${sdkPort}/metrics`;
  await startEntrypoint('worker', {
    ...h.env,
    HOST: '127.0.0.1',
    METRICS_PORT: String(port),
    TEMPORAL_SDK_METRICS_PORT: String(sdkPort),
    // Payloads of 256 bytes or more go to the blob store: every model call's input does.
    BLOB_THRESHOLD_BYTES: '256',
  });
});
after(async () => {
  await killChildren();
  await h?.close();
  await dataDir?.restore();
});

it('serves the SDK’s metrics and ours, which count the run’s model calls, tokens, tool calls and blobs', async () => {
  const start = await scrape(ours);
  assert.equal(start.find('durable_agents_model_calls_total').length, 0, 'no model call yet');

  const { output } = await h.engine.startRun(contentCreationWorkflow.toPlan(), { input: 'AI trends in 2024' });
  const events = await collectEvents(h.engine, output.run_id);
  assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
  assert.equal((events.at(-1) as { content?: unknown }).content, CONTENT_PLAN);

  const now = await scrape(ours);
  // Each model request the fake answered is one call, under the model's labels.
  const requests = h.openai.count();
  assert.ok(requests >= 5, `the run called the model (${requests} requests)`);
  assert.equal(now.value('durable_agents_model_calls_total', { ...MODEL, outcome: 'ok' }), requests);
  assert.equal(now.find('durable_agents_model_calls_total', { outcome: 'error' }).length, 0);
  assert.equal(now.value('durable_agents_model_call_duration_seconds_count', MODEL), requests);
  // Tokens as the provider counted them: the run's own totals.
  const summary = await h.engine.describeRunSummary(output.run_id);
  assert.ok(summary?.tokens && summary.tokens.input_tokens > 0, 'the run counted tokens');
  assert.equal(now.value('durable_agents_model_tokens_total', { ...MODEL, kind: 'input' }), summary.tokens.input_tokens);
  assert.equal(now.value('durable_agents_model_tokens_total', { ...MODEL, kind: 'output' }), summary.tokens.output_tokens);
  // Each tool the script calls, once, answered.
  for (const tool of ['get_top_hackernews_stories', 'get_current_stock_price']) {
    assert.equal(now.value('durable_agents_tool_calls_total', { tool, outcome: 'ok' }), 1, tool);
    assert.equal(now.value('durable_agents_tool_call_duration_seconds_count', { tool }), 1, tool);
  }
  // The claim-check wrote payloads to the blob store and read them back.
  assert.ok(now.value('durable_agents_blob_store_bytes_total', { operation: 'put' }) > 0, 'bytes written');
  assert.ok(now.value('durable_agents_blob_store_bytes_total', { operation: 'get' }) > 0, 'bytes read');
  assert.ok(now.value('durable_agents_blob_store_operation_duration_seconds_count', { operation: 'put', outcome: 'ok' }) > 0);
  assert.equal(now.find('durable_agents_blob_store_operation_duration_seconds_count', { outcome: 'error' }).length, 0);
  // The model calls streamed their text on the worker's live lane.
  assert.ok(now.value('durable_agents_live_lane_published_total') > 0, 'deltas published');
  assert.equal(now.value('durable_agents_live_lane_dropped_total'), 0);

  // The SDK's own metrics, for this worker's task queue.
  const temporal = await scrape(sdk);
  const names = new Set(temporal.series.map((series) => series.name));
  assert.ok([...names].every((name) => name.startsWith('temporal_')), `only temporal_ metrics: ${[...names].filter((n) => !n.startsWith('temporal_')).join(', ')}`);
  assert.ok(temporal.find('temporal_worker_task_slots_available', { task_queue: h.taskQueue }).length > 0, `task slots of ${h.taskQueue}: ${[...names].join(', ')}`);
  // The SDK ran the activities ours counted, and the run's workflow to its end.
  const executed = (activity_type: string) => temporal.value('temporal_activity_execution_latency_count', { task_queue: h.taskQueue, activity_type });
  assert.equal(executed('callModel'), requests);
  assert.equal(executed('callTool'), 2);
  // The log's end reaches readers just before the workflow task that closes the run completes: the SDK counts the run once that task has.
  await h.engine.client.workflow.getHandle(output.run_id).result();
  const ended = async () => (await scrape(sdk)).value('temporal_workflow_endtoend_latency_count', { task_queue: h.taskQueue, workflow_type: 'WorkflowRun' }) >= 1;
  await waitUntil('the SDK to count the run that ended', ended, { timeoutMs: 10_000 });
});
