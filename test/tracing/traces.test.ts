/**
 * Traces of runs across processes: an API process and a worker process exporting to a loopback
 * OTLP/HTTP receiver put the request that starts a run, the run's workflow, and each of its
 * model calls and tool calls in one trace. Without an OTLP endpoint they trace nothing, and the
 * run's history carries no trace context.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { fetchRunHistory, replayHistory } from '../../src/replay/replay.ts';
import { RUN_ID_ATTRIBUTE } from '../../src/tracing/spans.ts';
import { startOtlpCollector } from '../fakes/otlp-collector.ts';
import type { OtlpCollector, ReceivedSpan } from '../fakes/otlp-collector.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import type { StartedProcess } from '../support/processes.ts';
import { waitUntil } from '../support/wait.ts';

const WF = 'content-creation-workflow';
const TOOLS = ['get_current_stock_price', 'get_top_hackernews_stories'];
const SERVER_KIND = 2;
const CLIENT_KIND = 3;
let h: Harness;
let collector: OtlpCollector;

before(async () => {
  h = await startHarness();
  collector = await startOtlpCollector();
  h.openai.setHandler(contentCreationReply);
});
after(async () => {
  await killChildren();
  await collector?.close();
  await h?.close();
});

/** The harness's environment without any OpenTelemetry variable the test process may have. */
function environment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(h.env).filter(([name]) => !name.startsWith('OTEL_'))), ...extra };
}

/** A worker and an API process with `env`, stopped (SIGTERM: they export what they hold) after `use`. */
async function withProcesses(env: NodeJS.ProcessEnv, use: (client: DurableAgentsClient, parts: { worker: StartedProcess; api: StartedProcess }) => Promise<void>): Promise<void> {
  const port = await freePort();
  const worker = await startEntrypoint('worker', env);
  try {
    const api = await startEntrypoint('server', { ...env, PORT: String(port), HOST: '127.0.0.1' });
    try {
      await use(new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` }), { worker, api });
    } finally {
      await killProcess(api.child, 'SIGTERM');
    }
  } finally {
    await killProcess(worker.child, 'SIGTERM');
  }
}

/** The startup line a process prints about its tracing. */
function tracingLine(part: StartedProcess): Promise<string> {
  return waitUntil('the tracing line', () => /tracing: (.*)/.exec(part.output())?.[1]);
}

/** Where the run's history holds a trace context: in its start's headers, in its activities' headers. */
async function traceContextIn(runId: string): Promise<{ start: boolean; activities: number; tracedActivities: number }> {
  const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const scheduled = (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes ?? []);
  return {
    start: Boolean(started?.header?.fields?.[TRACE_HEADER]),
    activities: scheduled.length,
    tracedActivities: scheduled.filter((activity) => activity.header?.fields?.[TRACE_HEADER]).length,
  };
}

/** Names of the span's ancestors, nearest first, up to its trace's root. */
function ancestry(span: ReceivedSpan, spans: ReceivedSpan[]): string[] {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  const names: string[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) names.push(parent.name);
  return names;
}

it('exports nothing without an OTLP endpoint, and the run carries no trace context', async () => {
  await withProcesses(environment(), async (client, { worker, api }) => {
    assert.match(await tracingLine(worker), /^off/);
    assert.match(await tracingLine(api), /^off/);
    const { run_id: runId } = await client.startRun(WF, { message: 'AI trends in 2024' });
    const run = await client.waitUntilDone(WF, runId);
    assert.equal(run.content, CONTENT_PLAN);
    const context = await traceContextIn(runId);
    assert.ok(context.activities > 0);
    assert.equal(context.start, false);
    assert.equal(context.tracedActivities, 0);
  });
});

it('puts the request that starts a run, its workflow, and each model call and tool call in one trace', async () => {
  h.openai.reset();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
  let runId = '';
  await withProcesses(environment(otel), async (client, { worker, api }) => {
    assert.equal(await tracingLine(worker), `OTLP http/json to ${collector.url}/v1/traces as durable-agents-worker`);
    assert.equal(await tracingLine(api), `OTLP http/json to ${collector.url}/v1/traces as durable-agents-api`);
    runId = (await client.startRun(WF, { message: 'AI trends in 2024' })).run_id;
    const run = await client.waitUntilDone(WF, runId);
    assert.equal(run.content, CONTENT_PLAN);
    const context = await traceContextIn(runId);
    assert.deepEqual(context, { start: true, activities: context.activities, tracedActivities: context.activities });
    // Spans leave in batches: wait for every model and tool call's.
    await waitUntil('the spans of every model and tool call', () => {
      const ofRun = collector.spans.filter((span) => span.attributes[RUN_ID_ATTRIBUTE] === runId);
      return ofRun.filter((span) => span.name.startsWith('chat ')).length === h.openai.requests.length && ofRun.filter((span) => span.name.startsWith('execute_tool ')).length === TOOLS.length;
    });
  });
  const spans = collector.spans;

  const start = spans.find((span) => span.name === 'POST /workflows/{workflow_id}/runs');
  assert.ok(start, `the start request's span, among ${[...new Set(spans.map((span) => span.name))].join(', ')}`);
  assert.deepEqual(
    { service: start.service, kind: start.kind, parent: start.parentSpanId, route: start.attributes['http.route'], status: start.attributes['http.response.status_code'], run: start.attributes[RUN_ID_ATTRIBUTE] },
    { service: 'durable-agents-api', kind: SERVER_KIND, parent: '', route: '/workflows/{workflow_id}/runs', status: 202, run: runId },
  );
  const trace = spans.filter((span) => span.traceId === start.traceId);

  const workflowStart = trace.find((span) => span.name === 'StartWorkflow:WorkflowRun');
  assert.equal(workflowStart?.parentSpanId, start.spanId, 'the start of the run is a child of the request');
  const workflow = trace.find((span) => span.name === 'RunWorkflow:WorkflowRun');
  assert.equal(workflow?.parentSpanId, workflowStart.spanId, 'the workflow is a child of its start');
  assert.equal(workflow.service, 'durable-agents-worker');
  assert.equal(workflow.attributes.workflowId, runId);
  assert.equal(workflow.attributes.memo, undefined, 'the memo (input, user) stays out of traces');

  // Every model call and tool call of the run is in this trace, under its activity, the workflow and the request.
  const models = spans.filter((span) => span.name.startsWith('chat '));
  const tools = spans.filter((span) => span.name.startsWith('execute_tool '));
  assert.equal(models.length, 7, 'the script: leader 2, Hacker News 2, finance 2, planner 1');
  assert.deepEqual(tools.map((span) => span.attributes['gen_ai.tool.name']).sort(), TOOLS);
  for (const call of [...models, ...tools]) {
    assert.equal(call.traceId, start.traceId, `${call.name} is in the run's trace`);
    assert.equal(call.attributes[RUN_ID_ATTRIBUTE], runId);
    assert.equal(call.service, 'durable-agents-worker');
    const activity = call.name.startsWith('chat ') ? 'callModel' : 'callTool';
    assert.deepEqual(ancestry(call, trace), [`RunActivity:${activity}`, `StartActivity:${activity}`, 'RunWorkflow:WorkflowRun', 'StartWorkflow:WorkflowRun', start.name], call.name);
  }
  for (const model of models) {
    assert.equal(model.kind, CLIENT_KIND);
    assert.deepEqual([model.name, model.attributes['gen_ai.operation.name'], model.attributes['gen_ai.system']], ['chat gpt-5.2', 'chat', 'openai']);
    assert.ok(Number(model.attributes['gen_ai.usage.output_tokens']) > 0, 'token usage');
  }

  // The traced run's history replays against the workflow code: its spans are deterministic.
  const replayed = await replayHistory(await fetchRunHistory(h.engine.client, runId), { dataConverter: h.engine.client.options.dataConverter });
  assert.equal(replayed.error?.message, undefined);

  // A read of the run names it too, in a trace of its own.
  const read = spans.find((span) => span.name === 'GET /workflows/{workflow_id}/runs/{run_id}');
  assert.equal(read?.attributes[RUN_ID_ATTRIBUTE], runId);
  assert.notEqual(read.traceId, start.traceId);
});
