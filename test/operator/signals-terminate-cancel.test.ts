/**
 * The Temporal Web UI's Signal, Terminate and Cancel, driven through Temporal's client as the Web
 * UI does: signals sent by hand with wrong or missing payloads are ignored (no failed workflow
 * task, no stuck run), and terminate and cancel end the run the same way for a client streaming
 * throughout, a fresh reader, GET, `/runs` and its status filter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { RUN_STATUS_ATTRIBUTE } from '../../src/contracts/search-attributes.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { useWaitingRuns } from '../support/waiting-runs.ts';

const runs = useWaitingRuns();
const { startWaiting, getRun, sseEvents } = runs;

/** Workflow tasks that failed in the run's history (a signal handler that throws fails one). */
async function failedWorkflowTasks(runId: string): Promise<number> {
  const history = await runs.h.engine.client.workflow.getHandle(runId).fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;
}

async function listed(runId: string, query = ''): Promise<string | undefined> {
  const listedRuns = (await (await fetch(`${runs.h.api.url}/runs${query}`)).json()) as { run_id: string; status: string }[];
  return listedRuns.find((run) => run.run_id === runId)?.status;
}

/** A client streaming throughout and a fresh reader afterwards see the same gapless log, ending in `terminal`. */
async function assertOneLog(streamed: RunEvent[], runId: string, terminal: RunEvent['event']): Promise<RunEvent[]> {
  assert.ok(streamed.every((event, i) => event.event_index === i), 'gapless indexes for the client streaming throughout');
  assert.equal(streamed.at(-1)?.event, terminal);
  assert.deepEqual(await sseEvents(runId), streamed, 'a fresh reader reads the same log');
  return streamed;
}

describe('the Web UI Signal, Terminate and Cancel actions', () => {
  it('signals sent by hand with payloads the run cannot use are ignored: no failed workflow task, the run goes on', async () => {
    const runId = await startWaiting();
    const streaming = sseEvents(runId);
    const handle = runs.h.engine.client.workflow.getHandle(runId);
    const before = (await getRun(runId)).last_event_index;
    // What an operator might type into the Web UI's signal form.
    await handle.signal('continue');
    await handle.signal('continue', { step_id: 'publish', confirmed: true });
    await handle.signal('continue', [{}]);
    await handle.signal('continue', ['publish']);
    await handle.signal('continue', [{ step_id: 'some-other-step', confirmed: true }]);
    await handle.signal('contentDelta', 42);
    await handle.signal('contentDelta', { callId: 'nope' });
    // Retry and abort are for runs held after a failure; this one waits for a person.
    await handle.signal('retry', 'please');
    await handle.signal('abort');
    // A query after the signals is answered only once the worker has handled them.
    await waitUntil(`run ${runId} to have handled the signals`, async () => {
      const history = await handle.fetchHistory();
      const signals = (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length;
      const completedTasks = (history.events ?? []).filter((event) => event.workflowTaskCompletedEventAttributes).length;
      return signals === 9 && completedTasks >= 3 && history.events?.at(-1)?.workflowTaskCompletedEventAttributes !== undefined;
    });
    assert.equal(await failedWorkflowTasks(runId), 0, 'no signal failed a workflow task');
    const waiting = await getRun(runId);
    assert.equal(waiting.status, 'PAUSED', 'still waiting for a person');
    assert.equal(waiting.last_event_index, before, 'the ignored signals wrote nothing to the log');

    // The right answer, also sent by hand, is taken.
    await handle.signal('continue', [{ step_id: 'publish', confirmed: true }]);
    await waitUntil(`run ${runId} to complete`, async () => (await getRun(runId)).status === 'COMPLETED');
    const log = await assertOneLog(await withDeadline('the streaming client', streaming, 60_000), runId, 'WorkflowCompleted');
    assert.deepEqual(
      log.filter((event) => event.event === 'StepContinued').map((event) => event.event === 'StepContinued' && event.step_requirements.map((r) => r.confirmed)),
      [[true]],
    );
    assert.equal(await failedWorkflowTasks(runId), 0);
    assert.equal((await handle.describe()).searchAttributes[RUN_STATUS_ATTRIBUTE.name]?.[0], 'COMPLETED');
  });

  it('terminate: the streaming client and a fresh reader get the same CANCELLED end; GET and /runs agree', async () => {
    const runId = await startWaiting();
    const streaming = sseEvents(runId);
    await runs.h.engine.client.workflow.getHandle(runId).terminate('operator clean-up');
    const log = await assertOneLog(await withDeadline('the streaming client', streaming, 60_000), runId, 'WorkflowCancelled');
    assert.equal(log.at(-2)?.event, 'WorkflowPaused', 'the events the run wrote stay; the end follows them');
    const run = await getRun(runId);
    assert.equal(run.status, 'CANCELLED');
    assert.equal(run.error, 'terminated by operator: operator clean-up');
    // The run cannot update its own search attribute (AgentRunStatus stays PAUSED): readers go by Temporal's status.
    await waitUntil(`/runs to show ${runId} cancelled`, async () => (await listed(runId)) === 'CANCELLED' && (await listed(runId, '?status=CANCELLED')) === 'CANCELLED');
    assert.equal(await listed(runId, '?status=PAUSED'), undefined, 'not listed as paused');
  });

  it('cancel: the run writes its own end; the streaming client and a fresh reader agree, and so do GET and /runs', async () => {
    const runId = await startWaiting();
    const streaming = sseEvents(runId);
    const handle = runs.h.engine.client.workflow.getHandle(runId);
    await handle.cancel();
    const log = await assertOneLog(await withDeadline('the streaming client', streaming, 60_000), runId, 'WorkflowCancelled');
    assert.equal(log.filter((event) => event.event === 'WorkflowCancelled').length, 1, 'one end, no second one made by a reader');
    await waitUntil(`run ${runId} to read CANCELLED`, async () => (await getRun(runId)).status === 'CANCELLED');
    await waitUntil(`/runs to show ${runId} cancelled`, async () => (await listed(runId, '?status=CANCELLED')) === 'CANCELLED');
    assert.equal((await handle.describe()).searchAttributes[RUN_STATUS_ATTRIBUTE.name]?.[0], 'CANCELLED');
  });
});
