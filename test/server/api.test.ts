/**
 * The HTTP API over real HTTP, against the real server, worker and Temporal dev server.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { collectEvents } from '../support/harness.ts';
import { checkResponsesAgainstOpenApi } from '../support/openapi-conformance.ts';
import type { Conformance } from '../support/openapi-conformance.ts';
import { pollRunUntilEnded, postForm, postJson, readFrames } from '../support/http.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { StreamReader } from '../live/support/stream-reader.ts';

const writer = new Workflow({
  name: 'Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const LONG = 'Durable agents keep their work through any crash. '.repeat(8);

let h: ApiHarness;
let base: string;
// Every answer below is also checked against the server's /openapi.json.
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([contentCreationWorkflow, writer], { heartbeatMs: 200 });
  base = h.api.url;
  conformance = await checkResponsesAgainstOpenApi(base);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});
beforeEach(() => {
  h.openai.reset();
  h.openai.setHandler(contentCreationReply);
});

const runsUrl = (workflow = 'content-creation-workflow') => `${base}/workflows/${workflow}/runs`;

const pollUntilDone = (workflow: string, runId: string) => pollRunUntilEnded(`${runsUrl(workflow)}/${runId}`);

async function allEvents(workflow: string, runId: string, after = -1): Promise<StreamedEvent[]> {
  return (await readFrames(await fetch(`${runsUrl(workflow)}/${runId}/events?after=${after}`))).events;
}

describe('AgentOS routes', () => {
  it('answers health, config and workflows', async () => {
    assert.equal(((await (await fetch(`${base}/health`)).json()) as { status: string }).status, 'ok');
    const config = (await (await fetch(`${base}/config`)).json()) as { workflows: { id: string }[] };
    assert.deepEqual(config.workflows.map((w) => w.id), ['content-creation-workflow', 'writer']);
    const list = (await (await fetch(`${base}/workflows`)).json()) as { id: string; name: string }[];
    assert.equal(list[0]?.name, 'Content Creation Workflow');
    const detail = (await (await fetch(`${base}/workflows/content-creation-workflow`)).json()) as { steps: { executor_type: string; executor_name: string }[] };
    assert.deepEqual(detail.steps.map((s) => [s.executor_type, s.executor_name]), [['team', 'Research Team'], ['agent', 'Content Planner']]);
    const missing = await fetch(`${base}/workflows/nope`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { detail: string }).detail, /Workflow nope not found/);
  });

  it('background start answers 202 before the first model call finishes, and polling reaches COMPLETED', async () => {
    h.openai.setHandler((req) => ({ ...contentCreationReply(req), delayMs: 400 }) as ReturnType<typeof contentCreationReply>);
    const response = await postForm(runsUrl(), { message: 'AI trends in 2024', stream: 'false', background: 'true', session_id: 'sess-1' });
    assert.equal(response.status, 202);
    const started = (await response.json()) as { run_id: string; session_id: string; status: string };
    assert.deepEqual(Object.keys(started).sort(), ['run_id', 'session_id', 'status']);
    assert.equal(started.status, 'PENDING');
    assert.equal(started.session_id, 'sess-1');
    // No model call can have finished yet: each takes 400 ms.
    const early = (await (await fetch(`${runsUrl()}/${started.run_id}`)).json()) as { status: string; step_results: unknown[] };
    assert.ok(['PENDING', 'RUNNING'].includes(early.status), early.status);
    assert.deepEqual(early.step_results, []);
    const done = await pollUntilDone('content-creation-workflow', started.run_id);
    assert.equal(done.status, 'COMPLETED');
    assert.equal(done.content, CONTENT_PLAN);
    assert.equal(done.session_id, 'sess-1');
    for (const key of ['run_id', 'workflow_id', 'workflow_name', 'input', 'content_type', 'step_results', 'created_at', 'metrics']) assert.ok(key in done, key);
    const metrics = done.metrics as { steps: Record<string, { step_name: string; executor_type: string; executor_name: string; metrics: unknown }> };
    assert.deepEqual(Object.keys(metrics.steps), ['Research Step', 'Content Planning Step']);
    assert.equal(metrics.steps['Research Step']?.executor_name, 'Research Team');
  });

  it('streams every event once over SSE, in Agno frames, ending with the terminal event', async () => {
    const response = await postJson(runsUrl(), { message: 'AI trends in 2024' }); // stream defaults to true
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const { frames, events } = await readFrames(response);
    // The log's events, gapless, with live text frames (no event_index) between them.
    const logged = events.filter((e) => typeof e.event_index === 'number');
    assert.deepEqual(logged.map((e) => e.event_index), logged.map((_, i) => i));
    assert.ok(logged.length < events.length, 'text streamed live');
    for (const [i, frame] of frames.entries()) {
      // The id: the index of the newest log event the client has, then the live text it has.
      assert.match(frame.id ?? '', /^\d+(~\S+)?$/);
      if (typeof events[i]!.event_index === 'number') assert.equal(frame.id!.split('~')[0], String(events[i]!.event_index));
      assert.equal(frame.event, events[i]!.event);
      assert.equal(frame.data, JSON.stringify(JSON.parse(frame.data)), 'data is one line of compact JSON');
      assert.ok(events[i]!.run_id);
    }
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(events.findLast((e) => e.event === 'WorkflowCompleted')?.content, CONTENT_PLAN);
  });

  it('waits and returns the whole run when neither streaming nor in the background', async () => {
    const response = await postForm(runsUrl(), { message: 'AI trends in 2024', stream: 'false' });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; content: string; step_results: { step_name: string }[] };
    assert.equal(body.status, 'COMPLETED');
    assert.equal(body.content, CONTENT_PLAN);
    assert.deepEqual(body.step_results.map((s) => s.step_name), ['Research Step', 'Content Planning Step']);
  });

  it('resumes a stream with exactly the missed suffix: Last-Event-ID, ?after= and POST resume', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG, chunkDelayMs: 20 }));
    const started = (await (await postForm(runsUrl('writer'), { message: 'go', stream: 'false', background: 'true' })).json()) as { run_id: string };
    const eventsUrl = `${runsUrl('writer')}/${started.run_id}/events`;
    // A client reads 6 frames (live text among them) and drops its connection mid-run.
    const first = await readFrames(await fetch(eventsUrl), 6);
    const lastId = first.frames.at(-1)!.id!;
    const resumed = await readFrames(await fetch(eventsUrl, { headers: { 'last-event-id': lastId } }));
    const whole = [...first.events, ...resumed.events];
    const logged = whole.filter((e) => typeof e.event_index === 'number');
    assert.deepEqual(logged.map((e) => e.event_index), logged.map((_, i) => i), 'no gap, no duplicate');
    assert.equal(whole.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(whole.filter((e) => e.event === 'RunContent').map((e) => e.content).join(''), LONG, 'no text twice, none lost');
    // The same rest after the run has finished, by AgentOS's resume route with the frame's id.
    const viaResume = await readFrames(await postForm(`${runsUrl('writer')}/${started.run_id}/resume`, { last_event_index: lastId }));
    assert.equal([...first.events, ...viaResume.events].filter((e) => e.event === 'RunContent').map((e) => e.content).join(''), LONG);
    assert.deepEqual(viaResume.events.map((e) => e.event_index), resumed.events.filter((e) => typeof e.event_index === 'number').map((e) => e.event_index));
    // An event index (?after=, or a plain last_event_index) resumes from the log.
    const log = await collectEvents(h.engine, started.run_id);
    const after = Number(lastId.split('~')[0]);
    assert.deepEqual(await allEvents('writer', started.run_id, after), log.slice(after + 1));
    const byIndex = await readFrames(await postForm(`${runsUrl('writer')}/${started.run_id}/resume`, { last_event_index: String(after) }));
    assert.deepEqual(byIndex.events, log.slice(after + 1));
    const byNumber = await readFrames(await postJson(`${runsUrl('writer')}/${started.run_id}/resume`, { last_event_index: after }));
    assert.deepEqual(byNumber.events, log.slice(after + 1), 'a JSON number names the same position as the form field');
    assert.deepEqual(await allEvents('writer', started.run_id), log);
  });

  it('fans one run out to many SSE clients, each seeing every event', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG, chunkDelayMs: 10 }));
    const started = (await (await postForm(runsUrl('writer'), { message: 'go', stream: 'false', background: 'true' })).json()) as { run_id: string };
    const readers = await Promise.all(Array.from({ length: 20 }, () => allEvents('writer', started.run_id)));
    const log = await collectEvents(h.engine, started.run_id);
    assert.equal(log.at(-1)?.event, 'WorkflowCompleted');
    for (const [i, events] of readers.entries()) {
      const logged = events.filter((e) => typeof e.event_index === 'number');
      assert.deepEqual(logged.map((e) => e.event_index), log.map((e) => e.event_index), `reader ${i} saw the run's whole log`);
      assert.deepEqual(StreamReader.textOf(events), StreamReader.textOfLog(log), `reader ${i} saw its text once`);
    }
  });

  it('sends heartbeat comments while a run is quiet', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: 'late answer', delayMs: 700 }));
    const response = await postForm(runsUrl('writer'), { message: 'go' });
    const text = await response.text();
    assert.match(text, /^: heartbeat$/m);
    assert.match(text, /^event: WorkflowCompleted$/m);
  });

  it('cancels a running run (200 {}); an ended or unknown run: 200 {} as AgentOS, 409 / 404 with ?strict=true', async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: LONG.repeat(5), chunkDelayMs: 100 }));
    const started = (await (await postForm(runsUrl('writer'), { message: 'go', stream: 'false', background: 'true' })).json()) as { run_id: string };
    await readFrames(await fetch(`${runsUrl('writer')}/${started.run_id}/events`), 4); // it is streaming
    const cancel = await fetch(`${runsUrl('writer')}/${started.run_id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 200);
    assert.deepEqual(await cancel.json(), {});
    const done = await pollUntilDone('writer', started.run_id);
    assert.equal(done.status, 'CANCELLED');
    assert.equal((await allEvents('writer', started.run_id)).at(-1)?.event, 'WorkflowCancelled');
    assert.equal((await fetch(`${runsUrl('writer')}/${started.run_id}/cancel`, { method: 'POST' })).status, 200);
    assert.equal((await fetch(`${runsUrl('writer')}/no-such-run/cancel`, { method: 'POST' })).status, 200);
    assert.equal((await fetch(`${runsUrl('writer')}/${started.run_id}/cancel?strict=true`, { method: 'POST' })).status, 409);
    assert.equal((await fetch(`${runsUrl('writer')}/no-such-run/cancel?strict=true`, { method: 'POST' })).status, 404);
    assert.equal((await fetch(`${runsUrl('content-creation-workflow')}/${started.run_id}`)).status, 404, 'a run is found under its own workflow only');
  });
});

describe('idempotency', () => {
  it('returns the same run for the same key and body, and 409 for the same key with another body', async () => {
    const key = `key-${Date.now()}`;
    const request = () => postForm(runsUrl(), { message: 'AI trends in 2024', stream: 'false', background: 'true', session_id: 's-idem' }, { 'idempotency-key': key });
    const a = (await (await request()).json()) as { run_id: string };
    const b = (await (await request()).json()) as { run_id: string };
    assert.equal(a.run_id, b.run_id);
    await pollUntilDone('content-creation-workflow', a.run_id);
    const c = (await (await request()).json()) as { run_id: string };
    assert.equal(c.run_id, a.run_id, 'still the same run after it finished');
    assert.equal(h.openai.count(), 7, 'one run only');
    const conflict = await postForm(runsUrl(), { message: 'something else', stream: 'false', background: 'true' }, { 'idempotency-key': key });
    assert.equal(conflict.status, 409);
    assert.match(((await conflict.json()) as { detail: string }).detail, /Idempotency-Key/);
  });
});

describe('bad input', () => {
  it('gets a 4xx with a JSON detail and starts nothing', async () => {
    // A run to aim the event routes at, so their own checks answer rather than the 404 of a missing run.
    h.openai.setHandler(() => ({ kind: 'text', text: 'done' }));
    const { output } = await h.engine.startRun(writer.toPlan(), { input: 'go' });
    await withDeadline('the target run to end', h.engine.waitForRun(output.run_id));
    const eventsUrl = `${runsUrl('writer')}/${output.run_id}/events`;
    h.openai.reset();
    const startsBefore = h.temporalCalls.started.length;
    const cases: [string, () => Promise<Response>, number, RegExp?][] = [
      ['missing message', () => postForm(runsUrl(), { stream: 'false' }), 422, /"loc":\["body","message"\]/],
      ['empty message', () => postJson(runsUrl(), { message: '' }), 422],
      ['stream not a boolean', () => postForm(runsUrl(), { message: 'x', stream: 'maybe' }), 422],
      ['additional_data not JSON', () => postForm(runsUrl(), { message: 'x', additional_data: '{nope' }), 422],
      ['message not a string', () => postJson(runsUrl(), { message: 42 }), 422],
      ['JSON array body', () => postJson(runsUrl(), ['x']), 422],
      ['broken JSON', () => fetch(runsUrl(), { method: 'POST', body: '{"message":', headers: { 'content-type': 'application/json' } }), 400],
      ['text/plain', () => fetch(runsUrl(), { method: 'POST', body: 'message=x', headers: { 'content-type': 'text/plain' } }), 415],
      ['too large', () => postJson(runsUrl(), { message: 'x'.repeat(2 * 1024 * 1024) }), 413],
      ['unknown workflow', () => postForm(runsUrl('nope'), { message: 'x' }), 404],
      ['bad idempotency key', () => postForm(runsUrl(), { message: 'x', stream: 'false', background: 'true' }, { 'idempotency-key': 'a b' }), 400, /Idempotency-Key/],
      ['bad Last-Event-ID', () => fetch(eventsUrl, { headers: { 'last-event-id': 'x' } }), 400, /Last-Event-ID must be an event index/],
      ['bad list status', () => fetch(`${base}/runs?status=DONE`), 422],
      ['bad after', () => fetch(`${eventsUrl}?after=abc`), 422, /"loc":\["query","after"\]/],
    ];
    for (const [name, send, status, detail] of cases) {
      const response = await send().catch((err: unknown) => assert.fail(`${name}: ${String(err)}`));
      assert.equal(response.status, status, name);
      const body = (await response.json()) as { detail?: unknown };
      assert.ok(body.detail, `${name}: has a detail`);
      if (detail) assert.match(JSON.stringify(body.detail), detail, name);
    }
    // Temporal's own answers to the engine: it started no workflow, whatever visibility says later.
    assert.deepEqual(h.temporalCalls.startedSince(startsBefore), [], 'no run started');
    assert.equal(h.openai.count(), 0);
  });
});

describe('listing and documents', () => {
  it('lists runs across sessions with filters on workflow, status, session and user', async () => {
    const session = `list-${Date.now()}`;
    const done = (await (await postForm(runsUrl(), { message: 'AI trends in 2024', stream: 'false', session_id: session, user_id: 'lister' })).json()) as { run_id: string };
    const query = `${base}/runs?workflow_id=content-creation-workflow&status=COMPLETED&session_id=${session}&user_id=lister`;
    // Visibility is eventually consistent: the finished run is listed after a moment.
    const runs = await waitUntil('the finished run to be listed', async () => {
      const listed = (await (await fetch(query)).json()) as { run_id: string; status: string; user_id: string }[];
      return listed.length > 0 && listed;
    });
    assert.deepEqual(runs.map((r) => [r.run_id, r.status, r.user_id]), [[done.run_id, 'COMPLETED', 'lister']]);
    assert.deepEqual(await (await fetch(`${base}/runs?session_id=${session}&status=RUNNING`)).json(), []);
    const perWorkflow = (await (await fetch(`${runsUrl()}?session_id=${session}`)).json()) as { run_id: string }[];
    assert.deepEqual(perWorkflow.map((r) => r.run_id), [done.run_id]);
  });

  it('serves an OpenAPI 3.1 document generated from the request schemas, and a docs page', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: { RunRequest: { properties: Record<string, unknown>; required: string[] } } };
    };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/workflows/{workflow_id}/runs/{run_id}/events']);
    assert.deepEqual(doc.components.schemas.RunRequest.required, ['message']);
    assert.deepEqual(Object.keys(doc.components.schemas.RunRequest.properties).sort(), ['additional_data', 'background', 'message', 'metadata', 'multitask_strategy', 'priority', 'session_id', 'stream', 'timeout_seconds', 'user_id']);
    const docs = await fetch(`${base}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /openapi\.json/);
  });
});
