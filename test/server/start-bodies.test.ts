/**
 * `POST /workflows/{id}/runs` reads JSON, urlencoded and multipart/form-data bodies alike, as
 * AgentOS does: every field arrives (session, user, additional data), in each answer mode
 * (wait, background, stream), and bad input gets the same 422 whatever the encoding.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { readFrames } from '../support/http.ts';
import { waitUntil } from '../support/wait.ts';

const echo = new Workflow({
  name: 'Echo',
  steps: [new Step({ name: 'Say', executor: (input: StepInput) => `${input.input} / ${JSON.stringify(input.additionalData)}` })],
});

let h: ApiHarness;
before(async () => {
  h = await startApiHarness([echo]);
});
after(async () => h?.close());

const runsUrl = () => `${h.api.url}/workflows/echo/runs`;
type Fields = Record<string, string | boolean | Record<string, unknown>>;

/** The same fields in each encoding; forms carry booleans and objects as strings, as Agno's clients send them. */
const encodings: Record<string, (fields: Fields) => RequestInit> = {
  json: (fields) => ({ body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } }),
  urlencoded: (fields) => ({ body: new URLSearchParams(asStrings(fields)) }),
  multipart: (fields) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(asStrings(fields))) form.append(name, value);
    return { body: form }; // fetch writes the multipart/form-data content type with its boundary
  },
};

function asStrings(fields: Fields): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}

const post = (encoding: string, fields: Fields) => fetch(runsUrl(), { method: 'POST', ...encodings[encoding]!(fields) });

describe('start bodies', () => {
  for (const encoding of Object.keys(encodings)) {
    it(`${encoding}: waits for the run, with every field read`, async () => {
      const session = `s-${encoding}`;
      const response = await post(encoding, { message: `hello ${encoding}`, stream: false, session_id: session, user_id: `u-${encoding}`, additional_data: { tag: encoding, n: 1 } });
      assert.equal(response.status, 200);
      const run = (await response.json()) as { status: string; content: string; session_id: string; user_id: string };
      assert.deepEqual(
        [run.status, run.content, run.session_id, run.user_id],
        ['COMPLETED', `hello ${encoding} / {"tag":"${encoding}","n":1}`, session, `u-${encoding}`],
      );
    });

    it(`${encoding}: background=true answers 202 at once`, async () => {
      const response = await post(encoding, { message: `later ${encoding}`, stream: false, background: true });
      assert.equal(response.status, 202);
      const started = (await response.json()) as { run_id: string; status: string };
      assert.equal(started.status, 'PENDING');
      const done = await waitUntil(`run ${started.run_id} to complete`, async () => {
        const run = (await (await fetch(`${runsUrl()}/${started.run_id}`)).json()) as { status: string; content: string };
        return run.status === 'COMPLETED' && run;
      });
      assert.equal(done.content, `later ${encoding} / undefined`);
    });

    it(`${encoding}: streams by default`, async () => {
      const response = await post(encoding, { message: `live ${encoding}` });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
      const { events } = await readFrames(response);
      assert.equal(events[0]?.event, 'WorkflowStarted');
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      assert.equal(events.findLast((e) => e.event === 'WorkflowCompleted')?.content, `live ${encoding} / undefined`);
    });

    it(`${encoding}: bad input is a 422 naming the field`, async () => {
      for (const [fields, field] of [
        [{ stream: false }, 'message'],
        [{ message: 'x', stream: 'maybe' }, 'stream'],
        [{ message: 'x', additional_data: '[1, 2]' }, 'additional_data'],
      ] as [Fields, string][]) {
        const response = await post(encoding, fields);
        assert.equal(response.status, 422, JSON.stringify(fields));
        const detail = ((await response.json()) as { detail: { loc: string[] }[] }).detail;
        assert.deepEqual(detail[0]?.loc, ['body', field]);
      }
    });
  }
});
