/**
 * Cancelling runs over HTTP (`POST …/cancel`) and through the TypeScript client, in every state a
 * run can wait in: a model call in flight (its HTTP request to the model is aborted), a step
 * waiting for a person, and a run held after a failure. Each ends CANCELLED, and a stream that
 * was open at the time ends with `WorkflowCancelled`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DurableAgentsClient } from '../../../src/client/client.ts';
import { parseSse } from '../../../src/client/sse-parser.ts';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postForm } from '../../support/http.ts';
import { waitUntil, withDeadline } from '../../support/wait.ts';

/** Calls of the steps that must never run once their run is cancelled. */
const calls = { publish: 0, afterBreak: 0 };

const writer = new Workflow({
  name: 'Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const approval = new Workflow({
  name: 'Approval',
  steps: [
    new Step({
      name: 'Publish',
      requiresConfirmation: true,
      executor: () => {
        calls.publish += 1;
        return 'published';
      },
    }),
  ],
});
const held = new Workflow({
  name: 'Held',
  onFailure: 'hold',
  steps: [
    new Step({ name: 'Break', executor: () => ({ content: '', success: false, error: 'the mail service is down' }) }),
    new Step({
      name: 'After',
      executor: () => {
        calls.afterBreak += 1;
        return 'sent';
      },
    }),
  ],
});

const SLOW_ANSWER = 'Durable agents keep their work through any crash. '.repeat(40);

let h: ApiHarness;
let client: DurableAgentsClient;
before(async () => {
  h = await startApiHarness([writer, approval, held], { heartbeatMs: 200 });
  client = new DurableAgentsClient({ baseUrl: h.api.url });
});
after(async () => h?.close());
beforeEach(() => {
  h.openai.reset();
  calls.publish = 0;
  calls.afterBreak = 0;
});

const runUrl = (workflow: string, runId: string) => `${h.api.url}/workflows/${workflow}/runs/${runId}`;

/** An open SSE stream of a run's events, read one event at a time. */
function openStream(workflow: string, runId: string) {
  const controller = new AbortController();
  const frames = (async function* () {
    const response = await fetch(`${runUrl(workflow, runId)}/events`, { signal: controller.signal });
    assert.equal(response.status, 200);
    yield* parseSse(response.body!);
  })();
  const seen: RunEvent[] = [];
  return {
    seen,
    /** Reads until `stop` says so; undefined when the stream ended first. */
    async readUntil(what: string, stop: (event: RunEvent) => boolean, timeoutMs = 30_000): Promise<RunEvent | undefined> {
      return withDeadline(`the stream of ${runId} to show ${what}`, (async () => {
        for (;;) {
          const next = await frames.next();
          if (next.done) return undefined;
          const event = JSON.parse(next.value.data) as RunEvent;
          seen.push(event);
          if (stop(event)) return event;
        }
      })(), timeoutMs);
    },
    close: () => controller.abort(),
  };
}

async function startInBackground(workflow: string, message: string): Promise<string> {
  const response = await postForm(`${h.api.url}/workflows/${workflow}/runs`, { message, stream: 'false', background: 'true' });
  assert.equal(response.status, 202);
  return ((await response.json()) as { run_id: string }).run_id;
}

async function statusOf(workflow: string, runId: string): Promise<string> {
  return ((await (await fetch(runUrl(workflow, runId))).json()) as { status: string }).status;
}

const cancelBy = {
  'POST /cancel': async (workflow: string, runId: string) => {
    const response = await fetch(`${runUrl(workflow, runId)}/cancel`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
  },
  'client.cancelRun': (workflow: string, runId: string) => client.cancelRun(workflow, runId),
};

interface WaitingRun {
  workflow: string;
  /** Starts a run and returns once it waits in the state under test, with a stream open on it. */
  reach(stream: ReturnType<typeof openStream>): Promise<void>;
  /** What must hold after the cancel, beyond status and stream. */
  check(runId: string): Promise<void>;
}

const states: Record<string, WaitingRun> = {
  'a model call in flight': {
    workflow: 'writer',
    async reach(stream) {
      h.openai.setHandler(() => ({ kind: 'text', text: SLOW_ANSWER, chunkDelayMs: 150 }));
      await stream.readUntil('streamed text', (event) => event.event === 'RunContent');
    },
    async check() {
      // The model's HTTP request was closed by the worker before the fake finished answering.
      await waitUntil('the fake OpenAI to see its request aborted', () => h.openai.aborted === 1, { timeoutMs: 20_000 });
      assert.equal(h.openai.count(), 1, 'the cancelled model call was not retried');
    },
  },
  'a step waiting for a person': {
    workflow: 'approval',
    async reach(stream) {
      const paused = await stream.readUntil('WorkflowPaused', (event) => event.event === 'WorkflowPaused');
      assert.ok(paused?.event === 'WorkflowPaused' && paused.pause_kind === 'step');
      assert.equal(paused.step_requirements[0]?.step_id, 'publish');
    },
    async check(runId) {
      assert.equal(calls.publish, 0, 'the step nobody confirmed did not run');
      assert.equal((await fetch(`${runUrl('approval', runId)}/continue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step_requirements: [{ step_id: 'publish', confirmed: true }], stream: false }) })).status, 409, 'nothing left to continue');
    },
  },
  'a run held after a failure': {
    workflow: 'held',
    async reach(stream) {
      const paused = await stream.readUntil('WorkflowPaused', (event) => event.event === 'WorkflowPaused');
      assert.ok(paused?.event === 'WorkflowPaused' && paused.pause_kind !== 'step');
      assert.match(paused.error, /the mail service is down/);
    },
    async check(runId) {
      assert.equal(calls.afterBreak, 0, 'the steps after the held one did not run');
      assert.equal((await fetch(`${runUrl('held', runId)}/retry`, { method: 'POST' })).status, 409, 'a cancelled run is not retried');
    },
  },
};

describe('cancel', () => {
  for (const [state, waiting] of Object.entries(states)) {
    for (const [how, cancel] of Object.entries(cancelBy)) {
      it(`${how} ends ${state} CANCELLED, and the open stream ends with WorkflowCancelled`, async () => {
        const runId = await startInBackground(waiting.workflow, `cancel ${state}`);
        const stream = openStream(waiting.workflow, runId);
        try {
          await waiting.reach(stream);
          await cancel(waiting.workflow, runId);
          const last = await stream.readUntil('its end', () => false);
          assert.equal(last, undefined, 'the stream ended');
          assert.equal(stream.seen.at(-1)?.event, 'WorkflowCancelled');
          // The log's events, gapless; live text frames (no event_index) come between them.
          const logged = stream.seen.filter((e) => typeof e.event_index === 'number');
          assert.deepEqual(logged.map((e) => e.event_index), logged.map((_, i) => i), 'gapless from the start');
          await waitUntil(`run ${runId} to read CANCELLED`, async () => (await statusOf(waiting.workflow, runId)) === 'CANCELLED');
          await waiting.check(runId);
        } finally {
          stream.close();
        }
      });
    }
  }
});
