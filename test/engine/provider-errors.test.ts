/**
 * Provider errors that repeat on every attempt (400, 403, 404, 422) fail the run at once with the
 * provider's own message, on the Responses API and on Chat Completions alike; and a model's own
 * `apiKey` is what the provider sees, instead of OPENAI_API_KEY, without entering run history.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIChat, OpenAIResponses } from '../../src/definitions/models.ts';
import type { Model } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeApi } from '../fakes/openai.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';

const OWN_KEY = 'sk-own-key-of-this-model';
const writerWith = (name: string, model: Model) => new Workflow({ name, steps: [new Step({ name: 'Write', agent: new Agent({ name: `${name} Agent`, model }) })] });

const byApi: Record<FakeApi, { plain: Workflow; ownKey: Workflow; provider: string }> = {
  responses: {
    plain: writerWith('Responses Writer', new OpenAIResponses({ id: 'gpt-5.2' })),
    ownKey: writerWith('Responses Keyed', new OpenAIResponses({ id: 'gpt-5.2', apiKey: OWN_KEY })),
    provider: 'OpenAI Responses',
  },
  chat: {
    plain: writerWith('Chat Writer', new OpenAIChat({ id: 'llama3.1' })),
    ownKey: writerWith('Chat Keyed', new OpenAIChat({ id: 'llama3.1', apiKey: OWN_KEY })),
    provider: 'OpenAI Chat Completions',
  },
};

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.startWorker(Object.values(byApi).flatMap((api) => [api.plain, api.ownKey]));
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

const PROVIDER_ERRORS = [
  { status: 400, type: 'invalid_request_error', message: "Invalid value for 'temperature': must be at most 2." },
  { status: 403, type: 'permission_denied', message: 'Project proj_123 does not have access to model gpt-5.2.' },
  { status: 404, type: 'invalid_request_error', message: 'The model `gpt-5.2` does not exist or you do not have access to it.' },
  { status: 422, type: 'invalid_request_error', message: 'Unprocessable: the input could not be read.' },
];

describe('provider errors that repeat fail the run at once', () => {
  for (const api of Object.keys(byApi) as FakeApi[]) {
    for (const error of PROVIDER_ERRORS) {
      it(`${api}: HTTP ${error.status} ends the run ERROR after one request, with the provider's message`, async () => {
        h.openai.enqueue({ kind: 'error', status: error.status, type: error.type, message: error.message });
        const output = await byApi[api].plain.arun({ input: 'Write', engine: h.engine, timeouts: { heartbeatTimeoutMs: 2000 } });
        assert.equal(output.status, 'ERROR');
        assert.equal(output.error, `${byApi[api].provider} returned ${error.status}: ${error.message}`);
        assert.deepEqual(h.openai.requests.map((r) => r.api), [api], 'one request: no retry');
        const last = (await collectEvents(h.engine, output.run_id)).at(-1);
        assert.equal(last?.event, 'WorkflowError');
        assert.ok(String(last?.error).includes(error.message), String(last?.error));
      });
    }
  }
});

describe("a model's own apiKey", () => {
  for (const api of Object.keys(byApi) as FakeApi[]) {
    it(`${api}: is the key the provider sees, instead of OPENAI_API_KEY, and stays out of history`, async () => {
      h.openai.setHandler(() => ({ kind: 'text', text: 'written' }));
      const keyed = await byApi[api].ownKey.arun({ input: 'Write', engine: h.engine });
      const plain = await byApi[api].plain.arun({ input: 'Write', engine: h.engine });
      assert.equal(keyed.status, 'COMPLETED', keyed.error);
      assert.equal(plain.status, 'COMPLETED', plain.error);
      assert.deepEqual(
        h.openai.requests.map((r) => [r.api, r.headers.authorization]),
        [
          [api, `Bearer ${OWN_KEY}`],
          [api, `Bearer ${h.env.OPENAI_API_KEY}`],
        ],
      );
      const history = historyText(await h.engine.client.workflow.getHandle(keyed.run_id).fetchHistory());
      assert.ok(history.includes(`${api === 'chat' ? 'Chat' : 'Responses'} Keyed Agent`), 'the history text is readable here');
      assert.ok(!history.includes(OWN_KEY), 'the key is not in the run history');
    });
  }
});

/** Every string and every payload's bytes (as UTF-8) in a history, for looking for a secret. */
function historyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(historyText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(historyText).join('\n');
  return '';
}
