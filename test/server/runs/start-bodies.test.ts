/**
 * `POST /workflows/{id}/runs` reads JSON, urlencoded and multipart/form-data bodies alike, as
 * AgentOS does: every field arrives (session, user, additional data), in each answer mode
 * (wait, background, stream), and bad input gets the same 422 whatever the encoding. Bodies that
 * are not UTF-8 (raw bytes or percent-escapes) and forms of too many fields are a 400 that starts
 * nothing: the platform's readers would have started a run on U+FFFD instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Step } from '../../../src/definitions/step.ts';
import type { StepInput } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { readFrames } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';

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

  describe('bodies that are not UTF-8 text, or too many fields', () => {
    const boundary = 'xBoundary0123456789abcdefghij';
    const multipart = (parts: Buffer[]) =>
      Buffer.concat([...parts.flatMap((part) => [Buffer.from(`--${boundary}\r\n`), part, Buffer.from('\r\n')]), Buffer.from(`--${boundary}--\r\n`)]);
    const textPart = (name: string, value: Buffer) => Buffer.concat([Buffer.from(`Content-Disposition: form-data; name="${name}"\r\n\r\n`), value]);
    const ff = Buffer.from([0x68, 0x69, 0xff]); // "hi" and a byte UTF-8 never has
    const bad: [string, string, Buffer, RegExp][] = [
      ['JSON with a raw 0xFF', 'application/json', Buffer.concat([Buffer.from('{"stream":false,"background":true,"message":"'), ff, Buffer.from('"}')]), /^The body is not valid UTF-8/],
      ['urlencoded with %FF', 'application/x-www-form-urlencoded', Buffer.from('stream=false&background=true&message=hi%FF'), /^Form field "message" \(percent-decoded\) is not valid UTF-8/],
      ['urlencoded with an encoded surrogate', 'application/x-www-form-urlencoded', Buffer.from('stream=false&background=true&message=%ED%A0%80'), /not valid UTF-8/],
      ['urlencoded with %FF in a name', 'application/x-www-form-urlencoded', Buffer.from('stream=false&background=true&message=hi&x%FF=1'), /^A form field name/],
      ['urlencoded with a raw 0xFF', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from('stream=false&background=true&message='), ff]), /^The form is not valid UTF-8/],
      [
        'multipart with a raw 0xFF in a text field',
        `multipart/form-data; boundary=${boundary}`,
        multipart([textPart('stream', Buffer.from('false')), textPart('background', Buffer.from('true')), textPart('message', ff)]),
        /^Form field "message" is not valid UTF-8/,
      ],
      [
        'urlencoded with 10,000 fields',
        'application/x-www-form-urlencoded',
        Buffer.from(['stream=false', 'background=true', 'message=hi', ...Array.from({ length: 10_000 }, (_, i) => `f${i}=1`)].join('&')),
        /^The form has more than 1000 fields/,
      ],
      [
        'multipart with 10,000 fields',
        `multipart/form-data; boundary=${boundary}`,
        multipart([textPart('stream', Buffer.from('false')), textPart('background', Buffer.from('true')), textPart('message', Buffer.from('hi')), ...Array.from({ length: 10_000 }, (_, i) => textPart(`f${i}`, Buffer.from('1')))]),
        /^The form has more than 1000 fields/,
      ],
    ];
    for (const [name, contentType, body, detail] of bad) {
      it(`${name}: 400 naming it, and no run started`, async () => {
        const startsBefore = h.temporalCalls.started.length;
        const response = await fetch(runsUrl(), { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(30_000) });
        const answer = (await response.json()) as { detail: unknown };
        assert.equal(response.status, 400, JSON.stringify(answer));
        assert.match(String(answer.detail), detail);
        assert.deepEqual(h.temporalCalls.startedSince(startsBefore), []);
      });
    }

    it('the same bodies in valid UTF-8 (and 1000 fields) start their runs', async () => {
      const good: [string, Buffer][] = [
        ['application/json', Buffer.from('{"stream":false,"background":true,"message":"hi ÿ"}')],
        ['application/x-www-form-urlencoded', Buffer.from('stream=false&background=true&message=hi+%C3%BF%&x=100%')],
        [`multipart/form-data; boundary=${boundary}`, multipart([textPart('stream', Buffer.from('false')), textPart('background', Buffer.from('true')), textPart('message', Buffer.from('hi ÿ'))])],
        ['application/x-www-form-urlencoded', Buffer.from(['stream=false', 'background=true', 'message=hi+%C3%BF', ...Array.from({ length: 997 }, (_, i) => `f${i}=1`)].join('&'))],
        // A file's bytes are its own: only text fields must be UTF-8.
        [
          `multipart/form-data; boundary=${boundary}`,
          multipart([
            textPart('stream', Buffer.from('false')),
            textPart('background', Buffer.from('true')),
            textPart('message', Buffer.from('hi ÿ')),
            Buffer.concat([Buffer.from('Content-Disposition: form-data; name="attachment"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'), ff]),
          ]),
        ],
      ];
      const inputs: string[] = [];
      for (const [contentType, body] of good) {
        const response = await fetch(runsUrl(), { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(30_000) });
        assert.equal(response.status, 202, await response.clone().text());
        const { run_id } = (await response.json()) as { run_id: string };
        inputs.push((await h.engine.waitForRun(run_id)).input);
      }
      // A lone `%` is kept as it is, as browsers' form readers keep it.
      assert.deepEqual(inputs, ['hi ÿ', 'hi ÿ%', 'hi ÿ', 'hi ÿ', 'hi ÿ']);
    });
  });
});
