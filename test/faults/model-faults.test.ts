/**
 * OpenAI faults, each injected into the first attempt of a model call: the run completes, its
 * log is whole (gapless, deltas add up to the answer), and the provider saw exactly one request
 * per recorded attempt: nothing lost, nothing done twice.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { OpenAIChat, OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeReply } from '../fakes/openai.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { activityAttempts } from './history-accounting.ts';

const ANSWER = 'A durable answer, streamed in many small pieces so faults can land mid-stream.';
const workflows = {
  responses: new Workflow({ name: 'Faulty Responses', steps: [new Step({ name: 'Answer', agent: new Agent({ name: 'Responder', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })] }),
  chat: new Workflow({ name: 'Faulty Chat', steps: [new Step({ name: 'Answer', agent: new Agent({ name: 'Chatter', model: new OpenAIChat({ id: 'llama3.1' }) }) })] }),
};
const FAULTS: [string, FakeReply][] = [
  ['429 with retry-after', { kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } }],
  ['500', { kind: 'error', status: 500, message: 'The server had an error' }],
  ['503', { kind: 'error', status: 503, message: 'Overloaded' }],
  ['connection reset mid-stream', { kind: 'break_stream', text: ANSWER, afterChunks: 4 }],
  ['malformed stream chunk', { kind: 'malformed_chunk', text: ANSWER, afterChunks: 3 }],
  ['timeout (no answer)', { kind: 'hang' }],
];

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker(Object.values(workflows));
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

for (const [api, workflow] of Object.entries(workflows)) {
  describe(`${api} API`, () => {
    for (const [name, fault] of FAULTS) {
      it(`recovers from ${name}`, async () => {
        h.openai.enqueue(fault, { kind: 'text', text: ANSWER });
        // A short call timeout turns "no answer" into a retry within seconds.
        const output = await workflow.arun({ input: 'go', engine: h.engine, timeouts: { heartbeatTimeoutMs: 2000, modelCallTimeoutMs: 3000 } });
        assert.equal(output.status, 'COMPLETED', output.error);
        assert.equal(output.content, ANSWER);
        const events: RunEvent[] = [];
        for await (const event of h.engine.streamEvents(output.run_id)) events.push(event);
        assert.deepEqual(events.map((e) => e.event_index), events.map((_, i) => i));
        assert.equal(events.filter((e) => e.event === 'RunContent').map((e) => e.content).join(''), ANSWER);
        const attempts = await activityAttempts(h.engine.client, [output.run_id]);
        assert.equal(attempts.callModel, 2, 'one failed attempt, one good one');
        assert.equal(h.openai.count(), 2, 'one request per attempt');
      });
    }
  });
}
