/**
 * The Temporal Web UI's Reset, driven through Temporal's client as the Web UI does
 * (ResetWorkflowExecution to a workflow task): the run stays one log. The attempt that was reset
 * keeps its events and indexes, a `WorkflowReset` marks the reset, and the new attempt's events
 * follow, for a client streaming throughout, a client resuming after the old end, and a fresh
 * reader alike. What a reset redoes depends on its point: the model requests each kind makes are
 * counted here.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { parseSse } from '../../src/client/sse-parser.ts';
import type { RunEvent, RunEventOf } from '../../src/contracts/events.ts';
import { stateQuery } from '../../src/contracts/run-workflow-api.ts';
import { RUN_STATUS_ATTRIBUTE } from '../../src/contracts/search-attributes.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { CONTENT_PLAN, callerOf, contentCreationReply } from '../support/content-creation-script.ts';
import { postForm } from '../support/http.ts';
import { firstWorkflowTask, historyOf as historyOfRun, lastWorkflowTaskBeforeFailure, resetRun } from '../support/operator-reset.ts';
import { collectWithin, waitUntil, withDeadline } from '../support/wait.ts';

let h: ApiHarness;
/** Planner requests still to refuse with a 401 (not retried: the run fails in its second step). */
let plannerRefusals = 0;
/** While set, the Hacker News agent's answer after its tool waits for it. */
let memberHeld: Promise<void> | undefined;

before(async () => {
  h = await startApiHarness([contentCreationWorkflow], { heartbeatMs: 200 });
  h.openai.setHandler(async (req) => {
    const caller = callerOf(req);
    if (caller === 'planner' && plannerRefusals > 0) {
      plannerRefusals -= 1;
      return { kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test.', type: 'invalid_request_error', code: 'invalid_api_key' };
    }
    if (caller === 'hackernews' && req.toolResults.length > 0 && memberHeld) await memberHeld;
    return contentCreationReply(req);
  });
});
after(async () => h?.close());
beforeEach(() => {
  plannerRefusals = 0;
  memberHeld = undefined;
});

const runUrl = (runId: string) => `${h.api.url}/workflows/content-creation-workflow/runs/${runId}`;

async function startRun(): Promise<string> {
  const response = await postForm(`${h.api.url}/workflows/content-creation-workflow/runs`, { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

async function getRun(runId: string): Promise<{ status: string; content?: string }> {
  return (await (await fetch(runUrl(runId))).json()) as { status: string };
}

/** The run's log events over SSE after `after`, to the end of the stream. */
async function sseEvents(runId: string, after = -1): Promise<RunEvent[]> {
  const frames = await collectWithin(
    `the SSE stream of ${runId} after ${after}`,
    async function* (signal) {
      const response = await fetch(`${runUrl(runId)}/events?after=${after}`, { signal });
      assert.equal(response.status, 200);
      yield* parseSse(response.body!);
    },
    90_000,
  );
  return frames.map((frame) => JSON.parse(frame.data) as RunEvent).filter((event) => typeof event.event_index === 'number');
}

const historyOf = (runId: string) => historyOfRun(h.engine.client, runId);
const reset = (runId: string, eventId: number, reason: string) => resetRun(h.engine.client, runId, eventId, reason);

/** The log is gapless, keeps `before` as it was, marks the reset once right after it, and ends completed. */
function assertOneLog(log: RunEvent[], before: RunEvent[], reason: string): RunEventOf<'WorkflowReset'> {
  assert.ok(
    log.every((event, i) => event.event_index === i),
    'gapless indexes',
  );
  assert.deepEqual(log.slice(0, before.length), before, 'the events clients read before the reset are kept as they were');
  const marker = log[before.length];
  assert.equal(marker?.event, 'WorkflowReset', 'a WorkflowReset marks the reset right after the old log');
  assert.equal(marker.reason, reason);
  assert.equal(log.filter((event) => event.event === 'WorkflowReset').length, 1);
  const last = log.at(-1)!;
  assert.equal(last.event, 'WorkflowCompleted');
  assert.equal(last.event === 'WorkflowCompleted' && last.content, CONTENT_PLAN);
  return marker;
}

async function assertCompletedEverywhere(runId: string, log: RunEvent[]): Promise<void> {
  const run = await getRun(runId);
  assert.equal(run.status, 'COMPLETED');
  const handle = h.engine.client.workflow.getHandle(runId);
  assert.equal((await handle.query(stateQuery)).last_event_index, log.length - 1, 'the run’s state knows the whole log');
  const description = await handle.describe();
  assert.equal(description.searchAttributes[RUN_STATUS_ATTRIBUTE.name]?.[0], 'COMPLETED', 'the Web UI’s status search attribute');
  const listed = (await (await fetch(`${h.api.url}/runs?status=COMPLETED`)).json()) as { run_id: string }[];
  assert.ok(listed.some((entry) => entry.run_id === runId), '/runs lists it as completed');
}

/** A run that failed in its second step: the planner's model call was refused once. */
async function failedRun(): Promise<{ runId: string; before: RunEvent[] }> {
  plannerRefusals = 1;
  const runId = await startRun();
  const streamed = await sseEvents(runId);
  assert.deepEqual(streamed.slice(-2).map((event) => event.event), ['RunError', 'WorkflowError']);
  // The log as stored (a client that streamed live got the texts of content events live, before them).
  const before = await sseEvents(runId);
  assert.deepEqual(before.map((event) => event.event_index), streamed.map((event) => event.event_index));
  return { runId, before };
}

describe('the Web UI Reset keeps the run one log', () => {
  it('reset to the first workflow task: the failed attempt stays, the marker follows it, then the whole run again', async () => {
    const { runId, before } = await failedRun();
    const requests = h.openai.requests.length;
    const reason = 'operator: redo everything after the key was fixed';
    await reset(runId, firstWorkflowTask(await historyOf(runId)), reason);

    // The client that read to the failure resumes after its last event: it gets the rest, nothing twice.
    const resumed = await sseEvents(runId, before.at(-1)!.event_index);
    const fresh = await sseEvents(runId);
    assert.deepEqual([...before, ...resumed], fresh, 'the resuming client and a fresh reader read one log');
    const marker = assertOneLog(fresh, before, reason);
    assert.equal(marker.reset_point_index, -1, 'nothing of the old attempt was kept');
    assert.equal(resumed[1]?.event, 'WorkflowStarted', 'the new attempt starts over');
    assert.equal(h.openai.requests.length - requests, 7, 'all 7 model requests again');
    await assertCompletedEverywhere(runId, fresh);
  });

  it('reset to the last workflow task before the failure: only the failed call is made again', async () => {
    const { runId, before } = await failedRun();
    const requests = h.openai.requests.length;
    const reason = 'operator: retry the planner';
    const base = await historyOf(runId);
    await reset(runId, lastWorkflowTaskBeforeFailure(base), reason);

    const resumed = await sseEvents(runId, before.at(-1)!.event_index);
    const fresh = await sseEvents(runId);
    assert.deepEqual([...before, ...resumed], fresh);
    const marker = assertOneLog(fresh, before, reason);
    assert.ok(marker.reset_point_index >= 0 && marker.reset_point_index < before.length - 2, 'the reset point is inside the old attempt');
    const redone = h.openai.requests.slice(requests).map(callerOf);
    assert.deepEqual(redone, ['planner'], 'only the failed model call again');
    // The new attempt goes on from the reset point: what the old one did after it, done again, then on to the end.
    // The planner's call is made again under an id of its own; the calls whose answers Temporal kept keep theirs.
    const callIds = new Set(resumed.flatMap((event) => ('model_call_id' in event && event.model_call_id ? [event.model_call_id] : [])));
    const renamed = [...callIds].filter((id) => id.endsWith('-reset-1'));
    assert.equal(renamed.length, 1, `one call made after the reset: ${[...callIds].join(', ')}`);
    assert.ok(!before.some((event) => 'model_call_id' in event && event.model_call_id === renamed[0]));
    const again = before.slice(marker.reset_point_index + 1, -2).map((event) => event.event);
    assert.deepEqual(resumed.slice(1, 1 + again.length).map((event) => event.event), again);
    await assertCompletedEverywhere(runId, fresh);
  });

  it('reset of a running run inside the team’s delegation: the client streaming throughout gets the old events, the marker and the new attempt', async (t) => {
    let release!: () => void;
    memberHeld = new Promise<void>((resolve) => (release = resolve));
    const earlier = h.openai.requests.length;
    const runId = await startRun();
    const streaming = sseEvents(runId);
    await waitUntil('the Hacker News agent to have its tool result', () =>
      h.openai.requests.slice(earlier).some((req) => callerOf(req) === 'hackernews' && req.toolResults.length > 0),
    );
    const base = await historyOf(runId);
    // The workflow task that scheduled the Hacker News tool call, inside the leader's delegation.
    const toolCall = base.find((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'callTool' && JSON.stringify(event).includes('hackernews'));
    const point = Number((toolCall ?? base.findLast((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'callTool'))!.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId);
    const requests = h.openai.requests.length;
    const reason = 'operator: redo the Hacker News research';
    await reset(runId, point, reason);
    release();

    const streamed = await withDeadline('the client streaming throughout', streaming, 90_000);
    const fresh = await sseEvents(runId);
    // Text the streaming client got live before its log events came, those events bring no more of.
    const withoutText = (events: RunEvent[]) => events.map((event) => ('model_call_id' in event ? { ...event, content: undefined } : event));
    assert.deepEqual(withoutText(streamed), withoutText(fresh), 'the client streaming throughout and a fresh reader read one log');
    const resetAt = fresh.findIndex((event) => event.event === 'WorkflowReset');
    assertOneLog(fresh, fresh.slice(0, resetAt), reason);
    const redone = h.openai.requests.slice(requests);
    t.diagnostic(`model requests after the reset: ${redone.map((req) => `${callerOf(req)}${req.toolResults.length > 0 ? '+tools' : ''}`).join(', ')}`);
    assert.ok(!redone.some((req) => callerOf(req) === 'leader' && req.toolResults.length === 0), 'the leader is not asked to delegate again');
    assert.ok(redone.some((req) => callerOf(req) === 'hackernews'), 'the Hacker News agent goes on from its tool call');
    assert.ok(redone.length < 7, `fewer model requests than the whole run: ${redone.length}`);
    await assertCompletedEverywhere(runId, fresh);
  });

  it('a reset run that fails again is retried from its failed step: one log across both', async () => {
    const { runId, before } = await failedRun();
    plannerRefusals = 1;
    await reset(runId, lastWorkflowTaskBeforeFailure(await historyOf(runId)), 'operator: try the planner once more');
    const afterReset = await sseEvents(runId, before.at(-1)!.event_index);
    assert.deepEqual(afterReset.map((event) => event.event).slice(0, 1), ['WorkflowReset']);
    assert.equal(afterReset.at(-1)?.event, 'WorkflowError', 'the reset attempt failed too');

    const response = await fetch(`${runUrl(runId)}/retry`, { method: 'POST' });
    assert.equal(response.status, 202);
    const retried = await sseEvents(runId, afterReset.at(-1)!.event_index);
    const fresh = await sseEvents(runId);
    // A client following the retry live may get a chunk's text live, before the chunk: the chunk then comes empty (its text once).
    const textOnce = (events: RunEvent[]) => events.map((event) => ('model_call_id' in event && 'content' in event ? { ...event, content: '' } : event));
    assert.deepEqual(textOnce([...before, ...afterReset, ...retried]), textOnce(fresh), 'the failed attempt, the reset attempt and the retry: one log');
    assert.ok(fresh.every((event, i) => event.event_index === i), 'gapless indexes');
    assert.deepEqual(
      fresh.filter((event) => event.event.startsWith('Workflow')).map((event) => event.event),
      ['WorkflowStarted', 'WorkflowError', 'WorkflowReset', 'WorkflowError', 'WorkflowStarted', 'WorkflowCompleted'],
    );
    await assertCompletedEverywhere(runId, fresh);
  });
});
