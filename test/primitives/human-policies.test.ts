/**
 * What a step waiting for a person does when nobody answers in time (`onTimeout: 'fail' |
 * 'approve'`) or the person says no through AgentOS's `POST …/continue` (`onReject: 'fail' |
 * 'skip'`), and a step with `onError: 'pause'`: the run waits PAUSED until a retry continues it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput, StepOptions } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { postForm, postJson, readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

/** Names of the guarded steps whose executor really ran. */
const ran: string[] = [];
let sendIsBroken = true;

const draft = new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` });
const archive = new Step({ name: 'Archive', executor: (input: StepInput) => `archived ${input.previousStepContent}` });
/** Draft → a guarded Publish step → Archive: what Archive gets shows whether Publish ran. */
function guarded(name: string, human: Partial<StepOptions>): Workflow {
  const publish = new Step({
    name: 'Publish',
    executor: (input: StepInput) => {
      ran.push(name);
      return `published ${input.previousStepContent}${input.userInput ? ` to ${String(input.userInput.channel)}` : ''}`;
    },
    ...human,
  });
  return new Workflow({ name, steps: [draft, publish, archive] });
}

const workflows = [
  guarded('Timeout Fail', { requiresConfirmation: true, humanTimeoutMs: 300, onTimeout: 'fail' }),
  guarded('Timeout Approve', { requiresConfirmation: true, humanTimeoutMs: 300, onTimeout: 'approve' }),
  guarded('Reject Fail', { requiresConfirmation: true, onReject: 'fail' }),
  guarded('Reject Skip', { requiresConfirmation: true, onReject: 'skip' }),
  guarded('Input Reject Skip', { requiresUserInput: true, userInputSchema: { type: 'object', properties: { channel: { type: 'string' } }, required: ['channel'] }, onReject: 'skip' }),
  new Workflow({
    name: 'Pause On Error',
    steps: [
      draft,
      new Step({
        name: 'Send',
        onError: 'pause',
        executor: (input: StepInput) => (sendIsBroken ? { content: '', success: false, error: 'the mail service is down' } : `sent ${input.previousStepContent}`),
      }),
      archive,
    ],
  }),
];

let h: ApiHarness;
before(async () => {
  h = await startApiHarness(workflows);
});
after(async () => h?.close());
beforeEach(() => {
  ran.length = 0;
  sendIsBroken = true;
});

const runUrl = (workflow: string, runId: string) => `${h.api.url}/workflows/${workflow}/runs/${runId}`;

async function start(workflow: string): Promise<string> {
  const response = await postForm(`${h.api.url}/workflows/${workflow}/runs`, { message: 'the news', stream: 'false', background: 'true' });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

async function waitForStatus(workflow: string, runId: string, statuses: string[]): Promise<Record<string, unknown>> {
  return waitUntil(`run ${runId} to be ${statuses.join(' or ')}`, async () => {
    const run = (await (await fetch(runUrl(workflow, runId))).json()) as Record<string, unknown>;
    return statuses.includes(String(run.status)) && run;
  });
}

async function eventsOf(workflow: string, runId: string): Promise<RunEvent[]> {
  return (await readFrames(await fetch(`${runUrl(workflow, runId)}/events`))).events;
}

/** Rejects the paused step as AgentOS's clients do: the form field, or a JSON body. */
const reject = {
  form: (url: string) => postForm(`${url}/continue`, { step_requirements: JSON.stringify([{ step_id: 'publish', confirmed: false }]), stream: 'false' }),
  json: (url: string) => postJson(`${url}/continue`, { step_requirements: [{ step_id: 'publish', confirmed: false }], stream: false }),
};

interface Case {
  workflow: string;
  /** Nobody answers (the timeout decides), or a rejection through /continue. */
  answer: 'none' | keyof typeof reject;
  status: 'COMPLETED' | 'ERROR';
  /** The run's content, or its error. */
  outcome: RegExp;
  publishRan: boolean;
}

const cases: Case[] = [
  { workflow: 'timeout-fail', answer: 'none', status: 'ERROR', outcome: /Step Publish was not run: nobody answered within 300 ms/, publishRan: false },
  { workflow: 'timeout-approve', answer: 'none', status: 'COMPLETED', outcome: /^archived published draft of the news$/, publishRan: true },
  { workflow: 'reject-fail', answer: 'form', status: 'ERROR', outcome: /Step Publish was not run: rejected by the user/, publishRan: false },
  { workflow: 'reject-skip', answer: 'json', status: 'COMPLETED', outcome: /^archived draft of the news$/, publishRan: false },
  { workflow: 'input-reject-skip', answer: 'form', status: 'COMPLETED', outcome: /^archived draft of the news$/, publishRan: false },
];

describe('human in the loop: timeout and reject policies', () => {
  for (const c of cases) {
    it(`${c.workflow}: ${c.answer === 'none' ? 'nobody answers' : `rejected through /continue (${c.answer})`} → ${c.status}`, async () => {
      const runId = await start(c.workflow);
      // A 300 ms wait may be over before a poll sees it; the events below show it happened.
      if (c.answer !== 'none') {
        const paused = await waitForStatus(c.workflow, runId, ['PAUSED']);
        assert.equal((paused.step_requirements as { step_id: string }[])[0]?.step_id, 'publish');
        const response = await reject[c.answer](runUrl(c.workflow, runId));
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as { status: string }).status, c.status, 'the continue answers with the run as it ended');
      }
      const done = await waitForStatus(c.workflow, runId, ['COMPLETED', 'ERROR', 'CANCELLED']);
      assert.equal(done.status, c.status, String(done.error));
      assert.match(String(c.status === 'ERROR' ? done.error : done.content), c.outcome);
      assert.deepEqual(ran, c.publishRan ? [done.workflow_name] : [], 'whether the guarded step ran');

      const events = await eventsOf(c.workflow, runId);
      const names = events.map((e) => e.event);
      assert.ok(names.indexOf('WorkflowPaused') < names.indexOf('StepContinued'), names.join(', '));
      const continued = events.find((e) => e.event === 'StepContinued');
      assert.deepEqual(continued?.step_requirements?.map((r) => r.confirmed), c.answer === 'none' ? [] : [false], 'who decided: the timeout or the person');
      assert.equal(names.at(-1), c.status === 'ERROR' ? 'WorkflowError' : 'WorkflowCompleted');
      if (c.status === 'COMPLETED') {
        const publish = (done.step_results as { step_name: string; success: boolean }[]).find((s) => s.step_name === 'Publish');
        assert.equal(publish?.success, c.publishRan, 'a skipped step is recorded as not successful');
      }
      assert.equal((await reject.json(runUrl(c.workflow, runId))).status, 409, 'not waiting any more');
    });
  }
});

describe("step onError: 'pause'", () => {
  it('pauses the run at the failed step; a retry runs it again and the run completes', async () => {
    const runId = await start('pause-on-error');
    const paused = await waitForStatus('pause-on-error', runId, ['PAUSED', 'ERROR', 'COMPLETED']);
    assert.equal(paused.status, 'PAUSED');
    assert.match(String(paused.error), /the mail service is down/);
    assert.equal(paused.step_requirements, undefined, 'it waits for a retry, not for a person');
    assert.equal((await reject.json(runUrl('pause-on-error', runId))).status, 409, '/continue is for people; a failure needs a retry');

    sendIsBroken = false;
    const retry = await fetch(`${runUrl('pause-on-error', runId)}/retry`, { method: 'POST' });
    assert.equal(retry.status, 202);
    const done = await waitForStatus('pause-on-error', runId, ['COMPLETED', 'ERROR', 'CANCELLED']);
    assert.equal(done.status, 'COMPLETED', String(done.error));
    assert.equal(done.content, 'archived sent draft of the news');
    const events = await eventsOf('pause-on-error', runId);
    assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
    const sends = events.filter((e) => e.event === 'StepStarted').filter((e) => e.step_name === 'Send');
    assert.deepEqual(sends.map((e) => e.attempt), [undefined, 2], 'the step ran again in place');
    assert.equal(events.filter((e) => e.event === 'WorkflowStarted').length, 1, 'continued, not restarted');
  });
});
