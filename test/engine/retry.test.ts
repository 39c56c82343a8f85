/**
 * Failed runs: retry from the failed step over HTTP (no finished step runs again, event indexes
 * continue), hold on failure (PAUSED until retried), and search attributes for the Web UI.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { isDrafter, publishing, publishingReply, publishingSteps } from '../support/publishing.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { postForm, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';
import { StreamReader } from '../live/support/stream-reader.ts';

const failing = new Workflow({ name: 'Publishing', steps: publishingSteps() });
const holding = new Workflow({ name: 'Held Publishing', steps: publishingSteps(), onFailure: 'hold' });

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([failing, holding], { webUiUrl: 'http://ui.example:8233' });
});
after(async () => h?.close());
beforeEach(() => {
  publishing.broken = true;
  h.openai.reset();
  h.openai.setHandler(publishingReply);
});

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;
async function waitFor(workflow: string, runId: string, statuses: string[]): Promise<Record<string, unknown>> {
  return waitUntil(`run ${runId} to reach ${statuses.join('/')}`, async () => {
    const body = (await (await fetch(`${runsUrl(workflow)}/${runId}`)).json()) as Record<string, unknown>;
    return statuses.includes(String(body.status)) && body;
  });
}
async function events(workflow: string, runId: string, after = -1): Promise<RunEvent[]> {
  return (await readFrames(await fetch(`${runsUrl(workflow)}/${runId}/events?after=${after}`))).events;
}

describe('retry from the failed step', () => {
  it('re-runs only the failed step, keeps the run id, and continues the event indexes', async () => {
    const start = await postForm(runsUrl('publishing'), { message: 'Write about durability', stream: 'false', background: 'true' });
    assert.match(start.headers.get('link') ?? '', /^<http:\/\/ui\.example:8233\/namespaces\/default\/workflows\/[0-9a-f-]+>; rel="temporal-ui"$/);
    const { run_id } = (await start.json()) as { run_id: string };
    const failed = await waitFor('publishing', run_id, ['ERROR', 'COMPLETED']);
    assert.equal(failed.status, 'ERROR');
    assert.match(String(failed.error), /bug 42/);
    const firstLog = await events('publishing', run_id);
    assert.equal(firstLog.at(-1)?.event, 'WorkflowError');
    assert.equal(h.openai.count(isDrafter), 1);

    publishing.broken = false; // the fix is deployed
    const retry = await fetch(`${runsUrl('publishing')}/${run_id}/retry`, { method: 'POST' });
    assert.equal(retry.status, 202);
    assert.equal(((await retry.json()) as { run_id: string }).run_id, run_id);
    // A client that saw the failure resumes after it and gets the retry.
    const resumed = await readFrames(await fetch(`${runsUrl('publishing')}/${run_id}/events`, { headers: { 'last-event-id': String(firstLog.at(-1)!.event_index) } }));
    const done = await waitFor('publishing', run_id, ['COMPLETED', 'ERROR']);
    assert.equal(done.status, 'COMPLETED', String(done.error));
    assert.equal(done.content, 'Done: published: Draft: durable agents never lose work.');
    assert.equal(h.openai.count(isDrafter), 1, 'the completed Draft step was not run again');
    assert.deepEqual((done.step_results as { step_name: string }[]).map((s) => s.step_name), ['Draft', 'Publish']);

    assert.equal(resumed.events[0]?.event, 'WorkflowStarted');
    assert.equal(resumed.events[0]?.attempt, 2);
    assert.equal(resumed.events[0]?.resumed_from_step, 'Publish');
    assert.equal(resumed.events[0]?.event_index, firstLog.length, 'indexes continue past the failed attempt');
    assert.equal(resumed.events.at(-1)?.event, 'WorkflowCompleted');
    // From index 0 the whole story replays cleanly: failure, retry, completion, no gap or reuse.
    const whole = await events('publishing', run_id);
    assert.deepEqual(whole.map((e) => e.event_index), whole.map((_, i) => i));
    assert.deepEqual(whole.slice(0, firstLog.length), firstLog);
    // The client got the retry's events, and its text live in between (taken out of the log's content events).
    const resumedLog = resumed.events.filter((e) => typeof e.event_index === 'number');
    assert.deepEqual(resumedLog.map((e) => e.event_index), whole.slice(firstLog.length).map((e) => e.event_index));
    assert.deepEqual(StreamReader.textOf(resumed.events), StreamReader.textOfLog(whole.slice(firstLog.length)));

    assert.equal((await fetch(`${runsUrl('publishing')}/${run_id}/retry`, { method: 'POST' })).status, 409, 'a completed run is not retried');
    assert.equal((await fetch(`${runsUrl('publishing')}/nope/retry`, { method: 'POST' })).status, 404);
  });
});

describe('hold on failure', () => {
  it('pauses the run at the failed step until a retry continues it in place', async () => {
    const { run_id } = (await (await postForm(runsUrl('held-publishing'), { message: 'Write', stream: 'false', background: 'true' })).json()) as { run_id: string };
    const paused = await waitFor('held-publishing', run_id, ['PAUSED', 'ERROR', 'COMPLETED']);
    assert.equal(paused.status, 'PAUSED');
    assert.match(String(paused.error), /bug 42/);
    const listed = await waitUntil('the paused run in /runs', async () => {
      const runs = (await (await fetch(`${h.api.url}/runs?workflow_id=held-publishing&status=PAUSED`)).json()) as { run_id: string }[];
      return runs.length > 0 && runs;
    });
    assert.deepEqual(listed.map((r) => r.run_id), [run_id]);

    publishing.broken = false;
    assert.equal((await fetch(`${runsUrl('held-publishing')}/${run_id}/retry`, { method: 'POST' })).status, 202);
    const done = await waitFor('held-publishing', run_id, ['COMPLETED', 'ERROR']);
    assert.equal(done.status, 'COMPLETED');
    assert.equal(h.openai.count(isDrafter), 1);
    const log = await events('held-publishing', run_id);
    assert.deepEqual(log.map((e) => e.event_index), log.map((_, i) => i));
    const names = log.map((e) => e.event);
    assert.ok(names.indexOf('WorkflowPaused') < names.lastIndexOf('StepStarted'));
    assert.equal(log.filter((e) => e.event === 'StepStarted').filter((e) => e.step_name === 'Publish').at(-1)?.attempt, 2);
    assert.equal(names.filter((n) => n === 'WorkflowStarted').length, 1, 'continued in place, not restarted');
  });
});

describe('search attributes', () => {
  it('lets Temporal visibility find runs by workflow, status and current step', async () => {
    publishing.broken = false;
    const { run_id } = (await (await postForm(runsUrl('publishing'), { message: 'Write', stream: 'false', user_id: 'sa-user' })).json()) as { run_id: string };
    const found = await waitUntil('the completed run in Temporal visibility', async () => {
      const ids: string[] = [];
      for await (const run of h.engine.client.workflow.list({
        query: `AgentWorkflowId = 'publishing' AND AgentRunStatus = 'COMPLETED' AND AgentUserId = 'sa-user' AND AgentCurrentStep = 'Publish'`,
      })) {
        ids.push(run.workflowId);
      }
      return ids.length > 0 && ids;
    });
    assert.deepEqual(found, [run_id]);
  });
});
