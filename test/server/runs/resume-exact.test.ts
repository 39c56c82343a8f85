/**
 * Resuming a run's event stream by an event index sends exactly the events after it: the first one
 * is `index + 1` and none is missing to the end. Every way a client names the index is checked,
 * against the run's log read through the engine: AgentOS's `POST …/resume` with `last_event_index`
 * as a JSON number, as a JSON string, as a form field (Agno's client sends a string), and absent;
 * `GET …/events` with `?after=` and with `Last-Event-ID`. At the edges: before the first event
 * (-1 or nothing) gives the whole log, after the terminal event gives nothing and the stream ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../../src/contracts/events.ts';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { collectEvents } from '../../support/harness.ts';
import { postForm, postJson, readFrames } from '../../support/http.ts';

const writer = new Workflow({
  name: 'Resume Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Resume Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const TEXT = 'Every event once, none skipped. '.repeat(6);

let h: ApiHarness;
let runsUrl: string;
before(async () => {
  h = await startApiHarness([writer], { heartbeatMs: 200 });
  runsUrl = `${h.api.url}/workflows/resume-writer/runs`;
  h.openai.setHandler(() => ({ kind: 'text', text: TEXT, chunkDelayMs: 5 }));
});
after(async () => h?.close());

/** The ways to ask for the events after `index`; `undefined` asks without naming one. */
function resumeRequests(runId: string, index: number | undefined): Record<string, () => Promise<Response>> {
  const resume = `${runsUrl}/${runId}/resume`;
  const events = `${runsUrl}/${runId}/events`;
  if (index === undefined) {
    return {
      'resume without a body': () => fetch(resume, { method: 'POST' }),
      'resume with an empty JSON body': () => postJson(resume, {}),
      'resume with an empty form': () => postForm(resume, {}),
      'events without a position': () => fetch(events),
    };
  }
  return {
    'resume, last_event_index a JSON number': () => postJson(resume, { last_event_index: index }),
    'resume, last_event_index a JSON string': () => postJson(resume, { last_event_index: String(index) }),
    'resume, last_event_index a form field': () => postForm(resume, { last_event_index: String(index) }),
    'events?after=': () => fetch(`${events}?after=${index}`),
    'events with Last-Event-ID': () => fetch(events, { headers: { 'last-event-id': String(index) } }),
  };
}

/** The log events of a stream (live text frames, which carry no index, left out). */
const logged = (events: RunEvent[]) => events.filter((e) => typeof e.event_index === 'number');
const indexes = (events: RunEvent[]) => events.map((e) => e.event_index);

describe('resuming by an event index', () => {
  it('of an ended run: exactly the events after the index, to the end, whichever way it is named', { timeout: 180_000 }, async () => {
    const done = (await (await postForm(runsUrl, { message: 'go', stream: 'false' })).json()) as { run_id: string; status: string };
    assert.equal(done.status, 'COMPLETED');
    const log = await collectEvents(h.engine, done.run_id);
    assert.deepEqual(indexes(log), log.map((_, i) => i), 'the log itself is gapless');
    assert.equal(log.at(-1)?.event, 'WorkflowCompleted');
    const terminal = log.length - 1;
    assert.ok(terminal >= 5, `a log long enough to resume in its middle (${log.length} events)`);

    const positions: (number | undefined)[] = [undefined, -1, 0, 1, Math.floor(terminal / 2), terminal - 1, terminal];
    for (const index of positions) {
      const expected = log.slice((index ?? -1) + 1);
      for (const [way, request] of Object.entries(resumeRequests(done.run_id, index))) {
        const what = `${way} (${index ?? 'none'} of 0..${terminal})`;
        const response = await request();
        assert.equal(response.status, 200, what);
        // readFrames reads to the end of the stream: a stream that did not end fails at its deadline.
        const { events } = await readFrames(response, Infinity, 30_000);
        assert.deepEqual(indexes(events), indexes(expected), `${what}: starts at index + 1, none missing to the end`);
        assert.deepEqual(events, expected, `${what}: the log's own events`);
      }
    }
  });

  it('of a running run: from index + 1, gapless to the terminal event', { timeout: 180_000 }, async () => {
    h.openai.setHandler(() => ({ kind: 'text', text: TEXT, chunkDelayMs: 60 }));
    try {
      const started = (await (await postForm(runsUrl, { message: 'go', stream: 'false', background: 'true' })).json()) as { run_id: string };
      // A client has read a few log events while the model is still answering, and drops.
      const first = await readFrames(await fetch(`${runsUrl}/${started.run_id}/events`), 8);
      const seen = logged(first.events);
      const last = seen.at(-1)!.event_index;
      assert.notEqual(first.events.at(-1)?.event, 'WorkflowCompleted', 'the run was still running');

      const resumed = await readFrames(await postJson(`${runsUrl}/${started.run_id}/resume`, { last_event_index: last }));
      const rest = logged(resumed.events);
      const log = await collectEvents(h.engine, started.run_id);
      assert.equal(rest[0]?.event_index, last + 1, 'the first event after the index');
      assert.deepEqual(indexes(rest), indexes(log.slice(last + 1)), 'gapless to the end');
      assert.equal(resumed.events.at(-1)?.event, 'WorkflowCompleted');
      assert.deepEqual(indexes([...seen, ...rest]), indexes(log), 'what the client read and the rest: the whole log, once');
    } finally {
      h.openai.setHandler(() => ({ kind: 'text', text: TEXT, chunkDelayMs: 5 }));
    }
  });
});
