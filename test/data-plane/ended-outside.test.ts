/**
 * Runs ended outside our workflow code: an operator's terminate, a workflow execution timeout, and
 * a run whose workflow task keeps failing, cancelled. GET, the run lists and the SSE stream agree
 * on a terminal status with a reason; the stream ends with a terminal event (made by the reader,
 * with the next index, the same on every read); a timed-out run can be retried, its log going on
 * after that event.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { RUN_WORKFLOW_TYPE } from '../../src/contracts/run-workflow-api.ts';
import { collectEvents } from '../support/harness.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { approval, useWaitingRuns } from '../support/waiting-runs.ts';

const runs = useWaitingRuns();
const { runUrl, startWaiting, getRun, sseEvents } = runs;

async function listedStatus(runId: string, path: string): Promise<string | undefined> {
  const listed = (await (await fetch(`${runs.h.api.url}${path}`)).json()) as { run_id: string; status: string }[];
  return listed.find((run) => run.run_id === runId)?.status;
}

/** GET, both lists and SSE say the same terminal status; the stream ends with `terminal` at the next index. */
async function assertEndedEverywhere(runId: string, status: string, terminal: RunEvent['event'], reason: RegExp): Promise<RunEvent> {
  const run = await getRun(runId);
  assert.equal(run.status, status);
  assert.match(run.error ?? '', reason);
  await waitUntil(`the lists to show ${runId} ${status}`, async () => {
    const [all, ofWorkflow] = await Promise.all([listedStatus(runId, '/runs'), listedStatus(runId, '/workflows/approval/runs')]);
    return all === status && ofWorkflow === status;
  });
  const events = await sseEvents(runId);
  assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
  const last = events.at(-1)!;
  assert.equal(last.event, terminal);
  assert.equal(events.at(-2)?.event, 'WorkflowPaused', 'the terminal event follows the last event the run wrote');
  const said = last.event === 'WorkflowCancelled' ? last.reason : last.event === 'WorkflowError' ? last.error : '';
  assert.match(said, reason);
  // Every reader makes the same event: a resumed SSE stream, the engine's own stream.
  assert.deepEqual(await sseEvents(runId, { after: last.event_index - 1 }), [last]);
  assert.deepEqual((await collectEvents(runs.h.engine, runId)).at(-1), last);
  return last;
}

describe('runs ended outside the workflow code', () => {
  it('terminated by an operator: CANCELLED with the reason, everywhere', async () => {
    const runId = await startWaiting();
    await runs.h.engine.client.workflow.getHandle(runId).terminate('maintenance window');
    await assertEndedEverywhere(runId, 'CANCELLED', 'WorkflowCancelled', /^terminated by operator: maintenance window$/);
    assert.equal((await fetch(`${runUrl(runId)}/retry`, { method: 'POST' })).status, 409, 'a cancelled run is not retried');
    const answer = { step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false };
    const continued = await fetch(`${runUrl(runId)}/continue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) });
    assert.equal(continued.status, 409, 'its step no longer waits for a person');
  });

  it('timed out: ERROR "timed out", everywhere; a retry goes on after the terminal event, and cancel ends it', async () => {
    const { output } = await runs.h.engine.startRun(approval.toPlan(), { input: 'go', executionTimeoutMs: 3000 });
    const runId = output.run_id;
    await waitUntil(`run ${runId} to time out`, async () => (await getRun(runId)).status === 'ERROR', { timeoutMs: 30_000 });
    const last = await assertEndedEverywhere(runId, 'ERROR', 'WorkflowError', /^timed out/);

    assert.equal((await fetch(`${runUrl(runId)}/retry`, { method: 'POST' })).status, 202);
    await waitUntil(`the retry of ${runId} to wait for a person`, async () => (await getRun(runId)).status === 'PAUSED');
    assert.equal((await fetch(`${runUrl(runId)}/cancel`, { method: 'POST' })).status, 200);
    await waitUntil(`the retry of ${runId} to end`, async () => (await getRun(runId)).status === 'CANCELLED');
    const events = await sseEvents(runId);
    assert.ok(events.every((event, i) => event.event_index === i), 'gapless across the retry');
    assert.deepEqual(events[last.event_index], last, 'the terminal event made for the timeout stays in the log');
    assert.equal(events[last.event_index + 1]?.event, 'WorkflowStarted');
    assert.equal(events.at(-1)?.event, 'WorkflowCancelled');
  });

  it('a run whose workflow task keeps failing is cancelled all the same', async () => {
    const runId = `stuck-${Date.now()}`;
    // Step results that are not a list: the workflow fails before it can handle anything.
    const broken = { plan: approval.toPlan(), input: 'go', sessionId: 's', resume: { attempt: 2, stepResults: 5, createdAt: 0 } };
    await runs.h.engine.client.workflow.start(RUN_WORKFLOW_TYPE, { workflowId: runId, taskQueue: runs.h.taskQueue, args: [broken], memo: { workflow_id: 'approval', workflow_name: 'Approval', session_id: 's', input: 'go' } });
    await waitUntil(`run ${runId}'s workflow task to fail again`, async () => ((await runs.h.engine.client.workflow.getHandle(runId).describe()).raw.pendingWorkflowTask?.attempt ?? 0) > 1, { timeoutMs: 30_000 });
    await withDeadline('cancel', runs.h.engine.cancel(runId));
    const run = await waitUntil(`run ${runId} to end`, async () => {
      const current = await runs.h.engine.getRun(runId);
      return current?.status === 'CANCELLED' && current;
    });
    assert.match(run.error ?? '', /^terminated by operator: cancelled while its workflow task kept failing/);
  });
});
