/**
 * AgentOS's approvals over runs waiting for a person: a run paused at a step needing confirmation
 * or input is a pending approval (Agno's fields), listed, counted and read from the run store;
 * resolving it answers the step as /continue does and the run goes on to its end; an answered,
 * rejected or cancelled one reads so by id. Unknown ids are 404, bad bodies 422 with the run
 * untouched, and DELETE is refused while the approval is its run's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { ApiError, DurableAgentsClient } from '../../../src/client/client.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postJson, pollRunUntilEnded } from '../../support/http.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import { waitUntil } from '../../support/wait.ts';

const desk = new Workflow({
  name: 'Approval Desk',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish this draft?', onReject: 'skip', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});
const intake = new Workflow({
  name: 'Approval Intake',
  steps: [
    new Step({
      name: 'Ask',
      requiresUserInput: true,
      userInputMessage: 'Which city?',
      userInputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      executor: (input: StepInput) => `weather for ${String(input.userInput?.city)}`,
    }),
  ],
});

/** Agno's `ApprovalResponse` fields, every one sent (null when unset). */
const AGNO_APPROVAL_FIELDS = [
  'id', 'run_id', 'session_id', 'status', 'source_type', 'approval_type', 'pause_type', 'tool_name', 'tool_args', 'expires_at', 'agent_id', 'team_id',
  'workflow_id', 'user_id', 'schedule_id', 'schedule_run_id', 'source_name', 'requirements', 'context', 'resolution_data', 'resolved_by', 'resolved_at',
  'created_at', 'updated_at', 'run_status',
].sort();

type Approval = Record<string, unknown> & { id: string; run_id: string; status: string; requirements: Record<string, unknown>[] };
type Page = { data: Approval[]; meta: { page: number; limit: number; total_pages: number; total_count: number; search_time_ms: number } };

let h: ApiHarness;
/** Every answer below is also checked against /openapi.json (a mismatch fails its request). */
let conformance: Conformance;
before(async () => {
  h = await startApiHarness([desk, intake]);
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
});

const api = (path: string) => `${h.api.url}${path}`;
const getJson = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const response = await fetch(api(path));
  return { status: response.status, body: (await response.json()) as T };
};
const page = async (query: string) => (await getJson<Page>(`/approvals?${query}`)).body;

/** Starts a run in the background and waits until the run store lists its approval. */
async function startWaiting(workflowId: string, userId: string): Promise<string> {
  const started = await postJson(api(`/workflows/${workflowId}/runs`), { message: 'news', stream: false, background: true, user_id: userId });
  const { run_id } = (await started.json()) as { run_id: string };
  await waitUntil(`run ${run_id} to wait for a person`, async () => (await page(`run_id=${run_id}`)).meta.total_count === 1);
  return run_id;
}

describe('approvals', () => {
  it('lists, counts and reads a run waiting for confirmation with Agno’s fields, and resolving it completes the run', async () => {
    const runId = await startWaiting('approval-desk', 'desk-user');
    const listed = await page('user_id=desk-user');
    assert.deepEqual(listed.meta.total_count, 1);
    assert.deepEqual({ ...listed.meta, search_time_ms: 0 }, { page: 1, limit: 100, total_pages: 1, total_count: 1, search_time_ms: 0 });
    const approval = listed.data[0]!;
    assert.deepEqual(Object.keys(approval).sort(), AGNO_APPROVAL_FIELDS);
    assert.equal(approval.id, `${runId}~0`);
    assert.equal(approval.run_id, runId);
    assert.equal(approval.status, 'pending');
    assert.equal(approval.source_type, 'workflow');
    assert.equal(approval.approval_type, 'required');
    assert.equal(approval.pause_type, 'confirmation');
    assert.equal(approval.workflow_id, 'approval-desk');
    assert.equal(approval.source_name, 'Approval Desk');
    assert.equal(approval.user_id, 'desk-user');
    assert.equal(approval.run_status, 'PAUSED');
    assert.equal(approval.tool_name, null);
    assert.equal(approval.resolved_by, null);
    assert.equal(typeof approval.created_at, 'number');
    assert.deepEqual(approval.context, { source_name: 'Approval Desk', step_name: 'Publish' });
    assert.deepEqual([approval.requirements[0]!.step_id, approval.requirements[0]!.confirmation_message], ['publish', 'Publish this draft?']);

    // Filters: Agno's, as far as approvals here can match them.
    assert.equal((await page(`run_id=${runId}&workflow_id=approval-desk&status=pending&pause_type=confirmation&approval_type=required&source_type=workflow`)).meta.total_count, 1);
    for (const none of ['workflow_id=approval-intake', 'status=approved', 'pause_type=user_input', 'approval_type=audit', 'source_type=agent', 'agent_id=a', 'team_id=t', 'schedule_id=s']) {
      assert.equal((await page(`run_id=${runId}&${none}`)).meta.total_count, 0, none);
    }
    assert.deepEqual((await getJson('/approvals/count?user_id=desk-user')).body, { count: 1 });
    assert.deepEqual((await getJson(`/approvals/${approval.id}`)).body, approval);
    assert.deepEqual((await getJson(`/approvals/${approval.id}/status`)).body, { approval_id: approval.id, status: 'pending', run_id: runId, resolved_at: null, resolved_by: null });

    // DELETE is refused while the run waits on it, and changes nothing.
    const deleted = await fetch(api(`/approvals/${approval.id}`), { method: 'DELETE' });
    assert.equal(deleted.status, 409);
    assert.match(((await deleted.json()) as { detail: string }).detail, /waits for this approval: resolve it .* or cancel the run/);

    const resolved = await postJson(api(`/approvals/${approval.id}/resolve`), { status: 'approved', resolved_by: 'alice' });
    assert.equal(resolved.status, 200);
    const answer = (await resolved.json()) as Approval;
    assert.deepEqual(Object.keys(answer).sort(), AGNO_APPROVAL_FIELDS);
    assert.deepEqual([answer.id, answer.status, answer.run_status, answer.resolved_by, typeof answer.resolved_at], [approval.id, 'approved', 'COMPLETED', 'alice', 'number']);
    assert.equal(answer.requirements[0]!.confirmed, true);

    const run = (await pollRunUntilEnded(api(`/workflows/approval-desk/runs/${runId}`))) as { status: string; content: string };
    assert.deepEqual([run.status, run.content], ['COMPLETED', 'published draft of news']);

    // Answered: read by id as approved, no longer pending anywhere.
    const read = (await getJson<Approval>(`/approvals/${approval.id}`)).body;
    assert.deepEqual([read.status, read.run_status], ['approved', 'COMPLETED']);
    assert.equal((await getJson<{ status: string }>(`/approvals/${approval.id}/status`)).body.status, 'approved');
    assert.equal((await page('user_id=desk-user')).meta.total_count, 0);
    assert.deepEqual((await getJson('/approvals/count?user_id=desk-user')).body, { count: 0 });
    const again = await postJson(api(`/approvals/${approval.id}/resolve`), { status: 'rejected' });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { detail: string }).detail, "Approval is already 'approved' and cannot be resolved");
    assert.equal((await fetch(api(`/approvals/${approval.id}`), { method: 'DELETE' })).status, 409);
  });

  it('resolves a step asking for input with resolution_data as the input, and refuses input against its schema', async () => {
    const runId = await startWaiting('approval-intake', 'intake-user');
    const approval = (await page('user_id=intake-user')).data[0]!;
    assert.deepEqual([approval.id, approval.pause_type], [`${runId}~0`, 'user_input']);

    const wrong = await postJson(api(`/approvals/${approval.id}/resolve`), { status: 'approved', resolution_data: { town: 'Paris' } });
    assert.equal(wrong.status, 422);
    assert.match(((await wrong.json()) as { detail: string }).detail, /city/);
    assert.equal((await getJson<Approval>(`/approvals/${approval.id}`)).body.status, 'pending', 'the refused answer was not taken');

    const resolved = (await (await postJson(api(`/approvals/${approval.id}/resolve`), { status: 'approved', resolution_data: { city: 'Paris' } })).json()) as Approval;
    assert.deepEqual([resolved.status, resolved.run_status, resolved.resolution_data], ['approved', 'COMPLETED', { city: 'Paris' }]);
    const run = (await pollRunUntilEnded(api(`/workflows/approval-intake/runs/${runId}`))) as { content: string };
    assert.equal(run.content, 'weather for Paris');
  });

  it('pages newest first, and reads a rejected and a cancelled approval so', async () => {
    const older = await startWaiting('approval-desk', 'paging-user');
    const newer = await startWaiting('approval-desk', 'paging-user');
    const first = await page('user_id=paging-user&limit=1&page=1');
    const second = await page('user_id=paging-user&limit=1&page=2');
    assert.deepEqual([first.data.map((a) => a.run_id), second.data.map((a) => a.run_id)], [[newer], [older]]);
    assert.deepEqual([first.meta.total_pages, first.meta.total_count, second.meta.page], [2, 2, 2]);
    assert.deepEqual((await page('user_id=paging-user&limit=1&page=3')).data, []);

    const rejected = (await (await postJson(api(`/approvals/${newer}~0/resolve`), { status: 'rejected' })).json()) as Approval;
    assert.deepEqual([rejected.status, rejected.run_status, rejected.requirements[0]!.confirmed], ['rejected', 'COMPLETED', false]);
    const skipped = (await pollRunUntilEnded(api(`/workflows/approval-desk/runs/${newer}`))) as { step_results: { step_name: string; success: boolean }[] };
    assert.deepEqual(skipped.step_results.map((s) => [s.step_name, s.success]), [['Draft', true], ['Publish', false]]);

    assert.equal((await fetch(api(`/workflows/approval-desk/runs/${older}/cancel?strict=true`), { method: 'POST' })).status, 200);
    await pollRunUntilEnded(api(`/workflows/approval-desk/runs/${older}`));
    const cancelled = await waitUntil('the cancelled run in the store', async () => {
      const body = (await getJson<Approval>(`/approvals/${older}~0`)).body;
      return body.run_status === 'CANCELLED' && body;
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await page('user_id=paging-user')).meta.total_count, 0);
  });

  it('answers 404 for unknown approvals, before reading a body, and 422 for bad bodies and queries with the run untouched', async () => {
    const runId = await startWaiting('approval-desk', 'bad-user');
    for (const id of ['nope', `${runId}~1`, `${runId}~x`, 'no-such-run~0', '~0']) {
      assert.equal((await fetch(api(`/approvals/${encodeURIComponent(id)}`))).status, 404, id);
      assert.equal((await fetch(api(`/approvals/${encodeURIComponent(id)}/status`))).status, 404, id);
      assert.equal((await fetch(api(`/approvals/${encodeURIComponent(id)}`), { method: 'DELETE' })).status, 404, id);
      assert.equal((await postJson(api(`/approvals/${encodeURIComponent(id)}/resolve`), { status: 'maybe' })).status, 404, id);
    }
    // `count` is no approval id: other methods on it are 405, not a look-up.
    const deleteCount = await fetch(api('/approvals/count'), { method: 'DELETE' });
    assert.deepEqual([deleteCount.status, deleteCount.headers.get('allow')], [405, 'GET, HEAD']);
    await deleteCount.arrayBuffer();
    const url = api(`/approvals/${runId}~0/resolve`);
    for (const body of [{}, { status: 'maybe' }, { status: 'approved', resolution_data: 'Paris' }, { status: 'approved', resolved_by: 'x'.repeat(256) }]) {
      const response = await postJson(url, body);
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.ok(Array.isArray(((await response.json()) as { detail: unknown }).detail), 'details per field');
    }
    assert.equal((await fetch(url, { method: 'POST', body: 'status=approved', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415);
    for (const query of ['limit=0', 'limit=1001', 'page=0', 'status=maybe', 'approval_type=maybe']) assert.equal((await fetch(api(`/approvals?${query}`))).status, 422, query);

    assert.equal((await getJson<Approval>(`/approvals/${runId}~0`)).body.status, 'pending');
    const log: RunEvent[] = (await h.runStore.readEvents(runId)).events;
    assert.ok(log.some((e) => e.event === 'WorkflowPaused'));
    assert.equal(log.filter((e) => e.event === 'StepContinued').length, 0, 'nothing reached the run');
  });

  it('reads and resolves through the client', async () => {
    const client = new DurableAgentsClient({ baseUrl: h.api.url });
    const runId = await startWaiting('approval-intake', 'client-user');
    const listed = await client.listApprovals({ userId: 'client-user', pauseType: 'user_input', limit: 10 });
    assert.deepEqual(listed.data.map((a) => a.id), [`${runId}~0`]);
    assert.equal(await client.countApprovals({ userId: 'client-user' }), 1);
    assert.deepEqual(await client.getApproval(`${runId}~0`), listed.data[0]);
    assert.equal((await client.getApprovalStatus(`${runId}~0`)).status, 'pending');
    const resolved = await client.resolveApproval(`${runId}~0`, { status: 'approved', resolutionData: { city: 'Oslo' }, resolvedBy: 'bob' });
    assert.deepEqual([resolved.status, resolved.run_status, resolved.resolved_by], ['approved', 'COMPLETED', 'bob']);
    await assert.rejects(client.resolveApproval(`${runId}~0`, { status: 'rejected' }), (err: unknown) => err instanceof ApiError && err.status === 409);
    await assert.rejects(client.getApproval(`${runId}~9`), (err: unknown) => err instanceof ApiError && err.status === 404);
  });

  it('are described in /openapi.json, and every answer above matched it', async () => {
    assert.deepEqual(conformance.mismatches, []);
    assert.ok(conformance.checked.responses >= 50, `${conformance.checked.responses} answers checked`);
    const paths = (await getJson<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json')).body.paths;
    assert.deepEqual(Object.keys(paths['/approvals']!), ['get']);
    assert.deepEqual(Object.keys(paths['/approvals/count']!), ['get']);
    assert.deepEqual(Object.keys(paths['/approvals/{approval_id}']!).sort(), ['delete', 'get']);
    assert.deepEqual(Object.keys(paths['/approvals/{approval_id}/status']!), ['get']);
    assert.deepEqual(Object.keys(paths['/approvals/{approval_id}/resolve']!), ['post']);
  });
});
