/**
 * The OpenAPI document tells the truth: every route answers, on success and on each error it
 * documents, with a status, content type and body (each SSE frame) that /openapi.json declares,
 * checked by test/support/openapi-conformance.ts; the session routes as well. Security is declared as configured: none
 * without a key; with one, a bearer scheme and the public routes marked public.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { authFromEnv } from '../../src/server/http/auth.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { collectEvents } from '../support/harness.ts';
import { checkResponsesAgainstOpenApi } from '../support/openapi-conformance.ts';
import type { Conformance } from '../support/openapi-conformance.ts';
import { parseSse } from '../../src/client/sse-parser.ts';
import { form, pollRunUntilEnded, postForm, postJson, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

const failing = { now: true };
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Echo', executor: (input: StepInput) => `echo ${input.input}` })] });
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});
const fragile = new Workflow({
  name: 'Fragile',
  steps: [
    new Step({
      name: 'Break',
      retries: 0,
      executor: () => {
        if (failing.now) throw new Error('broken on purpose');
        return 'fixed';
      },
    }),
  ],
});

let h: ApiHarness;
let base: string;
let conformance: Conformance;
before(async () => {
  h = await startApiHarness([echo, approval, fragile]);
  base = h.api.url;
  conformance = await checkResponsesAgainstOpenApi(base);
});
after(async () => {
  conformance?.detach();
  await h?.close();
});

const runs = (workflow: string) => `${base}/workflows/${workflow}/runs`;
const startInBackground = async (workflow: string) =>
  ((await (await postJson(runs(workflow), { message: 'go', stream: false, background: true })).json()) as { run_id: string }).run_id;
const status = async (response: Promise<Response>) => {
  const answer = await response;
  await answer.arrayBuffer();
  return answer.status;
};

describe('every answer conforms to /openapi.json', () => {
  it('system and workflow routes', async () => {
    for (const path of ['/health', '/health/ready', '/config', '/workflows', '/workflows/approval', '/openapi.json', '/docs']) assert.equal(await status(fetch(`${base}${path}`)), 200, path);
    assert.equal(await status(fetch(`${base}/workflows/nope`)), 404);
    assert.equal(await status(fetch(`${base}/nope`)), 404);
    const wrongMethod = await fetch(`${base}/workflows/echo/runs`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD, POST');
    await wrongMethod.arrayBuffer();
  });

  it('starting, reading, listing and streaming runs', async () => {
    const waited = await postForm(runs('echo'), { message: 'hello', stream: 'false' });
    assert.equal(waited.status, 200);
    const run = (await waited.json()) as { run_id: string; content: string };
    assert.equal(run.content, 'echo hello');
    const streamed = await readFrames(await postJson(runs('echo'), { message: 'streamed' }));
    assert.equal(streamed.events.at(-1)?.event, 'WorkflowCompleted');
    const background = await startInBackground('echo');
    await pollRunUntilEnded(`${runs('echo')}/${background}`);
    // Each resume sends exactly the log after the position it names (test/server/runs/resume-exact.test.ts covers every way).
    const log = await collectEvents(h.engine, background);
    const indexesOf = async (response: Promise<Response>) => (await readFrames(await response)).events.map((e) => e.event_index);
    const after = (index: number) => log.slice(index + 1).map((e) => e.event_index);
    assert.deepEqual(await indexesOf(fetch(`${runs('echo')}/${background}/events?after=1`)), after(1));
    assert.deepEqual(await indexesOf(fetch(`${runs('echo')}/${background}/events`, { headers: { 'last-event-id': '0' } })), after(0));
    assert.deepEqual(await indexesOf(postForm(`${runs('echo')}/${background}/resume`, { last_event_index: '1' })), after(1));
    assert.deepEqual(await indexesOf(postJson(`${runs('echo')}/${background}/resume`, { last_event_index: 1 })), after(1));
    assert.deepEqual(await indexesOf(fetch(`${runs('echo')}/${background}/resume`, { method: 'POST' })), after(-1), 'resume without a body');
    assert.equal(await status(fetch(`${runs('echo')}?limit=5`)), 200);
    assert.equal(await status(fetch(`${base}/runs?workflow_id=echo&status=COMPLETED`)), 200);
    // The run list's changes: `ready`, then `changed` for a run started (the stream does not end).
    const leave = new AbortController();
    const changes = parseSse((await fetch(`${base}/runs/changes`, { signal: leave.signal })).body!)[Symbol.asyncIterator]();
    try {
      assert.equal((await changes.next()).value?.event, 'ready');
      await pollRunUntilEnded(`${runs('echo')}/${await startInBackground('echo')}`);
      assert.equal((await changes.next()).value?.event, 'changed');
    } finally {
      leave.abort();
    }
    assert.equal(await status(fetch(`${runs('echo')}/${background}?session_id=another`)), 404);
    assert.equal(await status(fetch(`${runs('echo')}/no-such-run`)), 404);
  });

  it('a run waiting for a person: continue, and what cannot be done meanwhile', async () => {
    const runId = await startInBackground('approval');
    await waitUntil('the run to wait for a person', async () => ((await (await fetch(`${runs('approval')}/${runId}`)).json()) as { status: string }).status === 'PAUSED');
    const paused = (await (await fetch(`${runs('approval')}/${runId}`)).json()) as { step_requirements: { step_id: string }[] };
    assert.equal(paused.step_requirements.length, 1);
    assert.equal(await status(fetch(`${runs('approval')}/${runId}/retry`, { method: 'POST' })), 409);
    const continued = await readFrames(await postJson(`${runs('approval')}/${runId}/continue`, { step_requirements: [{ step_id: paused.step_requirements[0]!.step_id, confirmed: true }] }));
    assert.equal(continued.events.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(await status(postJson(`${runs('approval')}/${runId}/continue`, { step_requirements: [{ step_id: 'x', confirmed: true }] })), 409);
  });

  it('fork: of an ended run, and what it refuses', async () => {
    const runId = await startInBackground('approval');
    await waitUntil('the run to wait for a person', async () => ((await (await fetch(`${runs('approval')}/${runId}`)).json()) as { status: string }).status === 'PAUSED');
    assert.equal(await status(postJson(`${runs('approval')}/${runId}/fork`, { step_name: 'Publish' })), 409);
    assert.equal(await status(fetch(`${runs('approval')}/${runId}/cancel`, { method: 'POST' })), 200);
    assert.equal((await pollRunUntilEnded(`${runs('approval')}/${runId}`)).status, 'CANCELLED');
    const forked = await postForm(`${runs('approval')}/${runId}/fork`, { step_index: '0', message: 'again' });
    assert.equal(forked.status, 202);
    const fork = (await forked.json()) as { run_id: string };
    assert.equal((await readFrames(await fetch(`${runs('approval')}/${fork.run_id}/events`), 1)).events[0]?.forked_from_run_id, runId);
    assert.equal(await status(postJson(`${runs('approval')}/${runId}/fork`, { step_name: 'Nope' })), 409);
    assert.equal(await status(postJson(`${runs('approval')}/${runId}/fork`, { step_index: -1 })), 422);
    assert.equal(await status(postJson(`${runs('approval')}/no-such-run/fork`, { step_index: 0 })), 404);
    assert.equal(await status(fetch(`${runs('approval')}/${fork.run_id}/cancel`, { method: 'POST' })), 200);
  });

  it('retry and cancel', async () => {
    failing.now = true;
    const runId = await startInBackground('fragile');
    assert.equal((await pollRunUntilEnded(`${runs('fragile')}/${runId}`)).status, 'ERROR');
    failing.now = false;
    assert.equal(await status(fetch(`${runs('fragile')}/${runId}/retry`, { method: 'POST' })), 202);
    assert.equal((await pollRunUntilEnded(`${runs('fragile')}/${runId}`)).status, 'COMPLETED');
    assert.equal(await status(fetch(`${runs('fragile')}/${runId}/retry`, { method: 'POST' })), 409);
    assert.equal(await status(fetch(`${runs('fragile')}/${runId}/cancel`, { method: 'POST' })), 200);
    assert.equal(await status(fetch(`${runs('fragile')}/${runId}/cancel?strict=true`, { method: 'POST' })), 409);
    assert.equal(await status(fetch(`${runs('fragile')}/no-such-run/cancel?strict=true`, { method: 'POST' })), 404);
    assert.equal(await status(fetch(`${runs('fragile')}/${runId}/cancel?strict=maybe`, { method: 'POST' })), 422);
  });

  it('bad input', async () => {
    const cases: [string, Promise<Response>, number][] = [
      ['broken JSON', fetch(runs('echo'), { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }), 400],
      ['bad Idempotency-Key', postJson(runs('echo'), { message: 'x' }, { 'idempotency-key': 'a b' }), 400],
      ['text/plain', fetch(runs('echo'), { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }), 415],
      ['missing message', postJson(runs('echo'), {}), 422],
      ['repeated field', fetch(runs('echo'), { method: 'POST', body: 'message=a&message=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 422],
      ['too large', postJson(runs('echo'), { message: 'x'.repeat(2 * 1024 * 1024) }), 413],
      ['bad limit', fetch(`${base}/runs?limit=0`), 422],
      ['unknown workflow filter', fetch(`${base}/runs?workflow_id=nope`), 404],
      ['bad Last-Event-ID', fetch(`${runs('echo')}/x/events`, { headers: { 'last-event-id': 'x' } }), 404],
    ];
    for (const [name, response, expected] of cases) assert.equal(await status(response), expected, name);
  });

  it('workflow sessions: list, read, runs, rename and delete', async () => {
    // Fresh ids: names given to sessions are kept in the blob store, which outlives the test.
    const tag = randomUUID().slice(0, 8);
    const kept = `conformance-kept-${tag}`;
    const doomed = `conformance-doomed-${tag}`;
    const start = async (workflow: string, session: string, message: string) =>
      ((await (await postJson(runs(workflow), { message, stream: false, background: true, session_id: session, user_id: 'conformance-user' })).json()) as { run_id: string }).run_id;
    const echoed = await start('echo', kept, `first ${tag}`);
    await pollRunUntilEnded(`${runs('echo')}/${echoed}`);
    const waiting = await start('approval', kept, `second ${tag}`);
    await waitUntil('the run to wait for a person', async () => ((await (await fetch(`${runs('approval')}/${waiting}`)).json()) as { status: string }).status === 'PAUSED');
    await pollRunUntilEnded(`${runs('echo')}/${await start('echo', doomed, `other ${tag}`)}`);
    const session = (id: string, rest = '') => `${base}/sessions/${id}${rest}`;
    const runsOf = async (id: string) => {
      const answer = await fetch(session(id, '/runs'));
      return answer.status === 200 ? ((await answer.json()) as { run_id: string; pause_kind?: string }[]) : (await answer.arrayBuffer(), []);
    };
    // Sessions are read from Temporal visibility, a moment behind.
    await waitUntil('both sessions to list their runs', async () => (await runsOf(kept)).length === 2 && (await runsOf(doomed)).length === 1);

    const listed = (await (await fetch(`${base}/sessions?session_name=${tag}&sort_order=asc`)).json()) as { data: { session_id: string }[]; meta: { total_count: number } };
    assert.deepEqual(listed.data.map((s) => s.session_id), [kept, doomed]);
    assert.equal(listed.meta.total_count, 2);
    assert.deepEqual(((await (await fetch(`${base}/sessions?type=agent`)).json()) as { data: unknown[] }).data, []);
    const detail = (await (await fetch(session(kept))).json()) as { session_name: string; user_id: string };
    assert.deepEqual([detail.session_name, detail.user_id], [`first ${tag}`, 'conformance-user']);
    assert.deepEqual((await runsOf(kept)).map((run) => [run.run_id, run.pause_kind]), [[echoed, undefined], [waiting, 'step']]);
    assert.equal(await status(fetch(session(kept, `/runs/${waiting}`))), 200);
    const renamed = await postJson(session(kept, '/rename'), { session_name: `renamed ${tag}` });
    assert.equal(((await renamed.json()) as { session_name: string }).session_name, `renamed ${tag}`);
    assert.equal(((await (await fetch(session(kept))).json()) as { session_name: string }).session_name, `renamed ${tag}`);

    const json = { 'content-type': 'application/json' };
    const refused: [string, Promise<Response>, number][] = [
      ['list in another db_id', fetch(`${base}/sessions?db_id=another`), 404],
      ['list with limit 0', fetch(`${base}/sessions?limit=0`), 422],
      ['unknown session', fetch(session('no-such-session')), 404],
      ['as a team session', fetch(session(kept, '?type=team')), 404],
      ['of another user', fetch(session(kept, '?user_id=someone-else')), 404],
      ['NUL as session id', fetch(session('%00')), 404],
      ['NUL in user_id', fetch(session(kept, '/runs?user_id=%00')), 422],
      ['a run not in the session', fetch(session(kept, `/runs/${echoed}x`)), 404],
      ['rename to nothing', postJson(session(kept, '/rename'), { session_name: '' }), 422],
      ['rename with a form', postForm(session(kept, '/rename'), { session_name: 'x' }), 415],
      ['rename with broken JSON', fetch(session(kept, '/rename'), { method: 'POST', body: '{', headers: json }), 400],
      ['rename an unknown session', postJson(session('no-such-session', '/rename'), { session_name: 'x' }), 404],
      ['delete in another db_id', fetch(session(kept, '?db_id=another'), { method: 'DELETE' }), 404],
      ['lengths differ', fetch(`${base}/sessions`, { method: 'DELETE', headers: json, body: JSON.stringify({ session_ids: [kept], session_types: ['workflow', 'team'] }) }), 400],
      ['unknown session type', fetch(`${base}/sessions`, { method: 'DELETE', headers: json, body: JSON.stringify({ session_ids: [kept], session_types: ['chat'] }) }), 422],
      ['delete with a form', fetch(`${base}/sessions`, { method: 'DELETE', ...form({ session_ids: `["${kept}"]`, session_types: '["workflow"]' }) }), 415],
    ];
    for (const [name, response, expected] of refused) assert.equal(await status(response), expected, name);

    assert.equal(await status(fetch(session(doomed), { method: 'DELETE' })), 204);
    assert.equal(await status(fetch(session(doomed))), 404, 'a deleted session is gone at once');
    assert.equal(await status(fetch(session('no-such-session'), { method: 'DELETE' })), 204, 'nothing to delete');
    const deleteKept = JSON.stringify({ session_ids: [kept, 'no-such-session'], session_types: ['workflow', 'agent'] });
    assert.equal(await status(fetch(`${base}/sessions`, { method: 'DELETE', headers: json, body: deleteKept })), 204);
    assert.equal(await status(fetch(session(kept, '/runs'))), 404);
  });

  it('checked every answer above, SSE frames included', () => {
    assert.deepEqual(conformance.mismatches, []);
    assert.ok(conformance.checked.responses >= 40, `${conformance.checked.responses} answers checked`);
    assert.ok(conformance.checked.frames >= 10, `${conformance.checked.frames} frames checked`);
  });
});

describe('security as configured', () => {
  it('declares no security without a key', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { security?: unknown; components: { securitySchemes?: unknown }; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    assert.equal(doc.security, undefined);
    assert.equal(doc.components.securitySchemes, undefined);
    const headers = Object.values(doc.paths).flatMap((methods) => Object.values(methods).flatMap((op) => (op.parameters ?? []).map((p) => p.name.toLowerCase())));
    assert.ok(!headers.includes('authorization'));
  });

  it('declares bearer auth with a key, public routes public, and its answers conform', async () => {
    const secured = await h.serve({ authenticate: authFromEnv({ OS_SECURITY_KEY: 'secret-key' }) });
    const checked = await checkResponsesAgainstOpenApi(secured.url);
    try {
      const doc = (await (await fetch(`${secured.url}/openapi.json`)).json()) as {
        security: unknown;
        components: { securitySchemes: Record<string, { scheme: string }> };
        paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      };
      assert.deepEqual(doc.security, [{ bearer: [] }]);
      assert.equal(doc.components.securitySchemes.bearer?.scheme, 'bearer');
      for (const path of ['/health', '/health/ready', '/openapi.json', '/docs']) {
        assert.deepEqual(doc.paths[path]!.get!.security, [], `${path} is public`);
        assert.equal(await status(fetch(`${secured.url}${path}`)), 200, `${path} without a key`);
      }
      assert.ok(doc.paths['/config']!.get!.responses['401']);
      assert.equal(await status(fetch(`${secured.url}/config`)), 401);
      assert.equal(await status(fetch(`${secured.url}/workflows`, { headers: { authorization: 'Bearer wrong' } })), 401);
      assert.equal(await status(fetch(`${secured.url}/workflows`, { headers: { authorization: 'Bearer secret-key' } })), 200);
      assert.deepEqual(checked.mismatches, []);
    } finally {
      checked.detach();
    }
  });
});
