/**
 * Temporal's remote codec protocol, served for its Web UI, with real payloads from histories: a
 * run's start input naming its big message by reference comes back with the message (cut for
 * display past the cap, with a marker); a model call's input holding a tool's output by reference
 * comes back with the output itself; a claim comes back as the payload it stands for, and one
 * whose blob is gone says so; the Web UI's
 * origin passes CORS, other origins do not; only operators may decode.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { StorageDriverClaim } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { encodeReferencePayload, isReferencePayload } from '@temporalio/common/lib/internal-non-workflow/extstore-helpers.js';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import type { ApiServer } from '../../../src/server/serve.ts';
import { fromCodecJson, toCodecJson } from '../../../src/server/codec/schemas.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded, postForm } from '../../support/http.ts';
import { ADMIN, ALICE, bearer, userKeysAuth } from '../../support/user-keys.ts';

const UI = 'http://127.0.0.1:8233';
const REPORT = 'report:'.padEnd(20_000, 'quarterly figures ');
const MESSAGE = 'message:'.padEnd(100_000, 'a long brief ');
const report = defineTool({ name: 'report', description: 'The report', parameters: { type: 'object', properties: {} }, execute: () => REPORT });
const reader = new Workflow({
  name: 'Report Reader',
  steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [report] }) })],
});

let h: ApiHarness;
let secured: ApiServer;
before(async () => {
  h = await startApiHarness([reader], { webUiUrl: UI });
  secured = await h.serve({ authenticate: userKeysAuth() });
});
after(() => h?.close());

const decode = (url: string, payloads: Payload[], headers: Record<string, string> = {}) =>
  fetch(`${url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body: JSON.stringify({ payloads: payloads.map(toCodecJson) }) });

const textOf = (payload: Payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8');

it("shows a run's history as content: claims resolved, references expanded, big payloads cut with a marker", async () => {
  h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'report', arguments: {} }] }, { kind: 'text', text: 'Read.' });
  const started = await postForm(`${h.api.url}/workflows/${reader.id}/runs`, { message: MESSAGE, stream: 'false', background: 'true' });
  assert.equal(started.status, 202);
  const { run_id } = (await started.json()) as { run_id: string };
  assert.equal((await pollRunUntilEnded(`${h.api.url}/workflows/${reader.id}/runs/${run_id}`)).status, 'COMPLETED');

  const { events } = await h.engine.client.workflow.getHandle(run_id).fetchHistory();
  const startInput = events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! as Payload;
  assert.ok(textOf(startInput).includes('\\u0000blob:') && !textOf(startInput).includes(MESSAGE), 'the API stored the big message: the start input names it by reference');
  const scheduled = events!.flatMap((event) => (event.activityTaskScheduledEventAttributes?.input?.payloads ?? []) as Payload[]);
  const withReport = scheduled.find((payload) => textOf(payload).includes('\\u0000blob:') && textOf(payload).includes('"role":"tool"'));
  assert.ok(withReport, "a model call's input names the report by reference");
  assert.ok(!textOf(withReport).includes(REPORT));
  // A payload over the claim-check threshold: history keeps a claim (a start made by a client of the data plane).
  const big = 'claimed:'.padEnd(100_000, 'xyz ');
  const other = await h.engine.client.workflow.start('NoSuchWorkflowType', { workflowId: `claimed-${run_id}`, taskQueue: 'nobody-polls', args: [big] });
  const claimed = (await other.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! as Payload;
  await other.terminate();
  assert.ok(isReferencePayload(claimed), 'history holds a claim');
  const missing = encodeReferencePayload({ driverName: 'blob-store', claim: new StorageDriverClaim({ key: `runs/default/${run_id}/gone`, sha256: '0'.repeat(64), size: '10' }), sizeBytes: 10 });

  const answer = await decode(h.api.url, [startInput, withReport, claimed, missing]);
  assert.equal(answer.status, 200);
  const [input, call, resolved, gone] = ((await answer.json()) as { payloads: Parameters<typeof fromCodecJson>[0][] }).payloads.map(fromCodecJson);
  assert.equal((JSON.parse(textOf(input!)) as { input: string }).input, MESSAGE, 'the reference expanded to the message');
  assert.ok(textOf(call!).includes(JSON.stringify(REPORT).slice(1, -1)), 'the reference expanded to the report');
  assert.ok(!textOf(call!).includes('\\u0000blob:'));
  assert.equal(JSON.parse(textOf(resolved!)), big, 'the claim resolved to the payload it stands for');
  assert.match(JSON.parse(textOf(gone!)) as string, /^\[not shown: The blob runs\/default\/.+\/gone \(10 bytes\) is missing from the blob store/);

  // Past the cap, a payload is cut, and says so.
  const capped = await h.serve({ codecMaxBytes: 50_000 });
  const [cut] = ((await (await decode(capped.url, [startInput])).json()) as { payloads: Parameters<typeof fromCodecJson>[0][] }).payloads.map(fromCodecJson);
  const shownCut = JSON.parse(textOf(cut!)) as string;
  assert.ok(shownCut.startsWith('{"plan":') && shownCut.includes(MESSAGE.slice(0, 20_000)));
  assert.match(shownCut, /\n\[cut for display at 50,000 of 10\d,\d{3} bytes\]$/);

  // Encoding leaves payloads as they are: the claim-check is the SDK's when it writes history.
  const encoded = await fetch(`${h.api.url}/codec/encode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [toCodecJson(withReport)] }) });
  assert.deepEqual(await encoded.json(), { payloads: [toCodecJson(withReport)] });
});

it("answers the Web UI's preflight, and no other origin's", async () => {
  const preflight = (origin: string) =>
    fetch(`${h.api.url}/codec/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
  for (const origin of [UI, 'http://localhost:8233']) {
    const answer = await preflight(origin);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), origin);
    assert.match(answer.headers.get('access-control-allow-headers') ?? '', /x-namespace/i);
    assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
  }
  assert.equal((await preflight('http://elsewhere.example')).headers.get('access-control-allow-origin'), null);
});

it('is for operators: no key is 401, a user-bound key 403, the operators key decodes; bad bodies are 422', async () => {
  const payload: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') };
  assert.equal((await decode(secured.url, [payload])).status, 401);
  const asAlice = await decode(secured.url, [payload], bearer(ALICE));
  assert.equal(asAlice.status, 403);
  assert.match(((await asAlice.json()) as { detail: string }).detail, /admin/);
  const asAdmin = await decode(secured.url, [payload], bearer(ADMIN));
  assert.equal(asAdmin.status, 200);
  assert.equal(textOf(((await asAdmin.json()) as { payloads: Parameters<typeof fromCodecJson>[0][] }).payloads.map(fromCodecJson)[0]!), '"hello"');
  const bad = await fetch(`${h.api.url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [{ data: 'not base64!' }] }) });
  assert.equal(bad.status, 422);
});
