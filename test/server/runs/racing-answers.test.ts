/**
 * Answers that race: many people answer the same question at once. One answer is taken, its
 * caller hears so (200 for a continue, 202 for a retry), and everyone else gets a 409 that says
 * what was taken, so nobody is told "OK" for an answer the run dropped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { collectEvents } from '../../support/harness.ts';
import { postJson, pollRunUntilEnded } from '../../support/http.ts';
import { waitUntil, withDeadline } from '../../support/wait.ts';
import { makeFlakyStep } from '../../support/flaky-step.ts';

const CALLERS = 20;

/** A rejection skips Publish: the run's outcome tells which answer was taken. */
const approval = new Workflow({
  name: 'Racing Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, onReject: 'skip', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});
/** Flaky fails while `flaky.failing`, and the run is held (PAUSED) until retried. */
const { step: flakyStep, flaky } = makeFlakyStep();
const held = new Workflow({
  name: 'Racing Hold',
  steps: [
    flakyStep,
  ],
});

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([approval, held]);
});
after(async () => h?.close());

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;

async function startPaused(workflow: string): Promise<string> {
  const started = await postJson(runsUrl(workflow), { message: 'news', stream: false, background: true });
  const { run_id } = (await started.json()) as { run_id: string };
  await waitUntil(`run ${run_id} to pause`, async () => ((await (await fetch(`${runsUrl(workflow)}/${run_id}`)).json()) as { status: string }).status === 'PAUSED');
  return run_id;
}

/** Every answer's status and body, the requests sent all at once. */
async function race(requests: (() => Promise<Response>)[]): Promise<{ status: number; body: Record<string, unknown> }[]> {
  const responses = await withDeadline('the racing requests', Promise.all(requests.map((send) => send())), 60_000);
  return Promise.all(responses.map(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> })));
}

describe('racing answers', () => {
  it(`takes one of ${CALLERS} concurrent continues: one 200, the others 409 naming the answer taken`, async () => {
    const runId = await startPaused('racing-approval');
    const url = `${runsUrl('racing-approval')}/${runId}/continue`;
    const answers = Array.from({ length: CALLERS }, (_, i) => i % 2 === 0);
    const results = await race(answers.map((confirmed) => () => postJson(url, { step_requirements: [{ step_id: 'publish', confirmed }], stream: false })));

    const statuses = results.map((result) => result.status);
    const told = `statuses: ${statuses.join(', ')}; other answers: ${JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 409))}`;
    assert.equal(statuses.filter((status) => status === 200).length, 1, told);
    assert.equal(statuses.filter((status) => status === 409).length, CALLERS - 1, told);
    const winner = statuses.indexOf(200);
    const taken = answers[winner]!;

    // The 200 is the run as the taken answer left it.
    const output = results[winner]!.body as { status: string; step_requirements: { step_id: string; confirmed: boolean }[]; step_results: { step_name: string; success: boolean }[] };
    assert.equal(output.status, 'COMPLETED');
    assert.deepEqual(output.step_requirements.map((r) => [r.step_id, r.confirmed]), [['publish', taken]]);
    for (const [i, result] of results.entries()) {
      if (i === winner) continue;
      assert.match(String(result.body.detail), new RegExp(`already answered.*confirmed: ${taken}`), `409 detail: ${String(result.body.detail)}`);
    }

    // The run did what the 200 said: Publish ran if and only if the taken answer confirmed it.
    const done = (await pollRunUntilEnded(`${runsUrl('racing-approval')}/${runId}`)) as { step_results: { step_name: string; success: boolean }[] };
    assert.deepEqual(done.step_results.map((s) => [s.step_name, s.success]), [['Draft', true], ['Publish', taken]]);
    const log: RunEvent[] = await collectEvents(h.engine, runId);
    assert.equal(log.filter((e) => e.event === 'StepContinued').length, 1);
  });

  it(`accepts one of ${CALLERS} concurrent retries of a held run: one 202, the others 409`, async () => {
    flaky.failing = true;
    const runId = await startPaused('racing-hold');
    flaky.failing = false;
    const url = `${runsUrl('racing-hold')}/${runId}/retry`;
    const results = await race(Array.from({ length: CALLERS }, () => () => fetch(url, { method: 'POST' })));

    const statuses = results.map((result) => result.status);
    assert.equal(statuses.filter((status) => status === 202).length, 1, `statuses: ${statuses.join(', ')}`);
    assert.equal(statuses.filter((status) => status === 409).length, CALLERS - 1, `statuses: ${statuses.join(', ')}`);
    for (const result of results.filter((r) => r.status === 409)) assert.match(String(result.body.detail), /already being retried|can be retried/, String(result.body.detail));

    const log: RunEvent[] = await collectEvents(h.engine, runId);
    assert.equal(log.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(log.filter((e) => e.event === 'StepStarted' && e.step_name === 'Flaky').length, 2, 'the failed step ran again once');
  });

  it('tells a continue that no worker took in time 503, that it may still be taken, and the run takes it when a worker is back', async () => {
    const runId = await startPaused('racing-approval');
    const url = `${runsUrl('racing-approval')}/${runId}/continue`;
    await h.stopWorkers();
    try {
      const unanswered = await withDeadline('a continue with no worker', postJson(url, { step_requirements: [{ step_id: 'publish', confirmed: false }], stream: false }), 60_000);
      assert.equal(unanswered.status, 503);
      assert.match(((await unanswered.json()) as { detail: string }).detail, /No worker took the answer .* may still be taken: read the run before sending it again/);
    } finally {
      await h.restartWorkers();
    }
    const done = (await pollRunUntilEnded(`${runsUrl('racing-approval')}/${runId}`)) as { step_results: { step_name: string; success: boolean }[] };
    assert.deepEqual(done.step_results.map((s) => [s.step_name, s.success]), [['Draft', true], ['Publish', false]], 'the answer Temporal kept was taken');
    const again = await postJson(url, { step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false });
    assert.equal(again.status, 409);
    assert.match(((await again.json()) as { detail: string }).detail, /already answered \(confirmed: false\)/);
  });
});
