/**
 * Forking an ended run at a step, over HTTP: the fork's log starts with the source's events
 * before the step (marked as carried, under the fork's id), no model call before the fork point
 * is made again (the fake's request counts), the source is untouched; completed, failed and
 * cancelled sources, a fork asked for with every worker stopped, a source that continued as new, and the errors that start nothing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { isDrafter, isPublisher, publishing, publishingReply, publishingSteps } from '../support/publishing.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { pollRunUntilEnded, postForm, postJson, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

const publishingWorkflow = new Workflow({ name: 'Publishing', steps: publishingSteps() });
const model = new OpenAIResponses({ id: 'gpt-5.2' });
const ITERATIONS = 30;
const polishing = new Workflow({
  name: 'Polishing',
  steps: [new Loop({ name: 'Polish', maxIterations: ITERATIONS, steps: [new Step({ name: 'Polish Once', agent: new Agent({ name: 'Polisher', model, role: 'Polishes text' }) })] })],
});

const isPolisher = (req: FakeRequest) => req.system.includes('Polishes text');
/** Set to make the publisher's model call hang (a run to cancel mid-step). */
let publisherHangs = false;
function reply(req: FakeRequest): FakeReply {
  if (isPolisher(req)) return { kind: 'text', text: `${req.lastUserText}+` };
  if (publisherHangs && isPublisher(req)) return { kind: 'hang' };
  return publishingReply(req);
}

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([publishingWorkflow, polishing]);
});
after(async () => h?.close());
beforeEach(() => {
  publishing.broken = publisherHangs = false;
  h.openai.reset();
  h.openai.setHandler(reply);
});

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;
/** The run once it has ended (a Loop of model calls on a busy machine takes a while). */
const ended = (workflow: string, runId: string) => pollRunUntilEnded(`${runsUrl(workflow)}/${runId}`, { timeoutMs: 120_000 });
async function events(workflow: string, runId: string): Promise<RunEvent[]> {
  return (await readFrames(await fetch(`${runsUrl(workflow)}/${runId}/events`), Infinity, 120_000)).events;
}
async function startPublishing(): Promise<string> {
  const start = await postForm(runsUrl('publishing'), { message: 'Write about durability', stream: 'false', background: 'true' });
  return ((await start.json()) as { run_id: string }).run_id;
}
async function fork(workflow: string, runId: string, fields: Record<string, unknown>): Promise<Response> {
  return postJson(`${runsUrl(workflow)}/${runId}/fork`, fields);
}

/** The fork's log: the carried part is the source's up to `cut`, under the fork's id; the rest is the fork's own; indexes gapless. */
function assertForkLog(source: RunEvent[], forked: RunEvent[], sourceId: string, forkId: string): number {
  assert.ok(forked.every((event, i) => event.event_index === i), 'gapless indexes');
  const cut = forked.findIndex((event) => event.forked_from_run_id === undefined);
  assert.ok(cut > 0, 'the fork carries events');
  for (let i = 0; i < cut; i++) {
    const carried = forked[i]!;
    const original = source[i]!;
    assert.equal(carried.forked_from_run_id, sourceId);
    assert.equal(carried.event, original.event);
    assert.equal(carried.created_at, original.created_at);
    if (original.run_id === sourceId) assert.equal(carried.run_id, forkId, 'carried workflow events name the fork');
  }
  assert.ok(forked.slice(cut).every((event) => event.forked_from_run_id === undefined && (!('workflow_run_id' in event) || event.workflow_run_id === forkId)));
  assert.equal(forked.filter((event) => event.event === 'WorkflowStarted').length, source.slice(0, cut).filter((event) => event.event === 'WorkflowStarted').length, 'a fork starts no second WorkflowStarted');
  return cut;
}

describe('fork a run at a step', () => {
  it('forks a completed run: the steps before the fork point are not run again, the source is untouched', async () => {
    const sourceId = await startPublishing();
    assert.equal((await ended('publishing', sourceId)).status, 'COMPLETED');
    const sourceLog = await events('publishing', sourceId);
    const calls = { drafter: h.openai.count(isDrafter), publisher: h.openai.count(isPublisher) };

    const answer = await fork('publishing', sourceId, { step_name: 'Publish' });
    assert.equal(answer.status, 202);
    const { run_id: forkId, status } = (await answer.json()) as { run_id: string; status: string };
    assert.equal(status, 'PENDING');
    assert.notEqual(forkId, sourceId);
    const done = await ended('publishing', forkId);
    assert.equal(done.status, 'COMPLETED', String(done.error));
    assert.match(String(done.content), /^Done: published: /);
    assert.equal(h.openai.count(isDrafter), calls.drafter, 'the draft step is reused');
    assert.equal(h.openai.count(isPublisher), calls.publisher * 2, 'the publish step runs again');
    assert.deepEqual((done.step_results as { step_name: string }[]).map((result) => result.step_name), ['Draft', 'Publish']);

    const forkLog = await events('publishing', forkId);
    const cut = assertForkLog(sourceLog, forkLog, sourceId, forkId);
    assert.equal(forkLog[cut]!.event, 'StepStarted');
    assert.equal((forkLog[cut] as { step_name: string }).step_name, 'Publish');
    assert.equal(forkLog.at(-1)!.event, 'WorkflowCompleted');
    assert.deepEqual(await events('publishing', sourceId), sourceLog, 'the source run is untouched');
  });

  it('forks with every worker stopped: the source’s input is read from the run store, the fork waits for a worker', async () => {
    const sourceId = await startPublishing();
    assert.equal((await ended('publishing', sourceId)).status, 'COMPLETED');
    await h.stopWorkers();
    try {
      const answer = await fork('publishing', sourceId, { step_name: 'Publish' });
      assert.equal(answer.status, 202, await answer.clone().text());
      const { run_id: forkId } = (await answer.json()) as { run_id: string };
      await h.restartWorkers();
      const done = await ended('publishing', forkId);
      assert.equal(done.status, 'COMPLETED', String(done.error));
      assert.deepEqual((done.step_results as { step_name: string }[]).map((result) => result.step_name), ['Draft', 'Publish']);
    } finally {
      await h.restartWorkers();
    }
  });

  it('forks a failed run at its failed step once fixed, and a cancelled one mid-step', async () => {
    publishing.broken = true;
    const failedId = await startPublishing();
    assert.equal((await ended('publishing', failedId)).status, 'ERROR');
    publishing.broken = false;
    const drafts = h.openai.count(isDrafter);
    const failedFork = (await (await fork('publishing', failedId, { step_index: 1, message: 'Write about forks' })).json()) as { run_id: string };
    const fixed = await ended('publishing', failedFork.run_id);
    assert.equal(fixed.status, 'COMPLETED', String(fixed.error));
    assert.equal(fixed.input, 'Write about forks', 'message is the fork’s input');
    assert.equal(h.openai.count(isDrafter), drafts);
    assertForkLog(await events('publishing', failedId), await events('publishing', failedFork.run_id), failedId, failedFork.run_id);

    publisherHangs = true;
    const published = h.openai.count(isPublisher);
    const cancelledId = await startPublishing();
    await waitUntil('the publisher’s model call', () => h.openai.count(isPublisher) > published, { timeoutMs: 60_000 });
    await fetch(`${runsUrl('publishing')}/${cancelledId}/cancel`, { method: 'POST' });
    assert.equal((await ended('publishing', cancelledId)).status, 'CANCELLED');
    publisherHangs = false;
    const before = { drafter: h.openai.count(isDrafter), publisher: h.openai.count(isPublisher) };
    const cancelledAnswer = await fork('publishing', cancelledId, { step_name: 'Publish', session_id: 'forks' });
    assert.equal(cancelledAnswer.status, 202, await cancelledAnswer.clone().text());
    const cancelledFork = (await cancelledAnswer.json()) as { run_id: string; session_id: string };
    assert.equal(cancelledFork.session_id, 'forks');
    assert.equal((await ended('publishing', cancelledFork.run_id)).status, 'COMPLETED');
    assert.equal(h.openai.count(isDrafter), before.drafter);
    assert.equal(h.openai.count(isPublisher), before.publisher + 2, 'only the publish step’s two model calls');
    const forkLog = await events('publishing', cancelledFork.run_id);
    assertForkLog(await events('publishing', cancelledId), forkLog, cancelledId, cancelledFork.run_id);
    assert.ok(forkLog.every((event) => event.session_id === 'forks'));
  });

  it('forks a Loop at an iteration across continue-as-new: only the iterations from there call the model', async () => {
    const { output } = await h.engine.startRun(polishing.toPlan(), { input: 'x', historyBudget: { events: 120 } });
    const sourceId = output.run_id;
    const source = await ended('polishing', sourceId);
    assert.equal(source.status, 'COMPLETED', String(source.error));
    assert.equal(source.content, `x${'+'.repeat(ITERATIONS)}`);
    const executions = await waitUntil('the source’s executions', async () => {
      let count = 0;
      for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${sourceId}'` })) count++;
      return count > 1 && count;
    });
    assert.ok(executions > 1, 'the source continued as new');
    const polished = h.openai.count(isPolisher);

    const answer = await fork('polishing', sourceId, { step_name: 'Polish', iteration: ITERATIONS - 4 });
    assert.equal(answer.status, 202, await answer.clone().text());
    const forkId = ((await answer.json()) as { run_id: string }).run_id;
    const done = await ended('polishing', forkId);
    assert.equal(done.status, 'COMPLETED', String(done.error));
    assert.equal(done.content, source.content, 'the fork goes on from the reused iterations’ content');
    assert.equal(h.openai.count(isPolisher) - polished, 5, 'iterations 26 to 30 only');
    const sourceLog = await events('polishing', sourceId);
    const forkLog = await events('polishing', forkId);
    const cut = assertForkLog(sourceLog, forkLog, sourceId, forkId);
    assert.deepEqual(forkLog[cut], { ...forkLog[cut], event: 'LoopIterationStarted', iteration: ITERATIONS - 4 });
    const iterations = forkLog.flatMap((event) => (event.event === 'LoopIterationStarted' ? [event.iteration] : []));
    assert.deepEqual(iterations, Array.from({ length: ITERATIONS }, (_, i) => i + 1), 'each iteration once');
  });

  it('refuses what it cannot fork, and starts nothing', async () => {
    const runsBefore = (await h.engine.listRuns({})).length;
    const completed = (await h.engine.listRuns({ definitionId: 'publishing', status: 'COMPLETED' }))[0]!.run_id;
    const unknownStep = await fork('publishing', completed, { step_name: 'Review' });
    // Well formed, but the run has no such place: a conflict with what the run is, naming what it has.
    assert.equal(unknownStep.status, 409);
    assert.match(((await unknownStep.json()) as { detail: string }).detail, /no step named "Review"; its steps: Draft \(0\), Publish \(1\)/);
    const noIteration = await fork('publishing', completed, { step_name: 'Draft', iteration: 2 });
    assert.equal(noIteration.status, 409);
    const noStep = await fork('publishing', completed, { message: 'again' });
    assert.equal(noStep.status, 422, 'a fork names its step');
    const unknownRun = await fork('publishing', 'no-such-run', { step_name: 'Draft' });
    assert.equal(unknownRun.status, 404);

    publisherHangs = true;
    const runningId = await startPublishing();
    await waitUntil('the publisher’s model call', () => h.openai.count(isPublisher) > 0, { timeoutMs: 60_000 });
    const running = await fork('publishing', runningId, { step_name: 'Draft' });
    assert.equal(running.status, 409);
    assert.match(((await running.json()) as { detail: string }).detail, /only ended runs can be forked/);
    await fetch(`${runsUrl('publishing')}/${runningId}/cancel`, { method: 'POST' });
    await ended('publishing', runningId);
    assert.equal((await h.engine.listRuns({})).length, runsBefore + 1, 'only the run started here');
  });
});
