/**
 * Answers found by probing the API, each pinned down: a retry of a run that waits for a person,
 * concurrent retries, deeply nested JSON, oversized Last-Event-ID, a chunked body without a
 * content type, the Idempotency-Key pattern, a Temporal port already taken, and the CLI's
 * grouping of tool calls of team members running in parallel.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventRenderer } from '../../src/cli/render-events.ts';
import { PLAIN } from '../../src/cli/markdown.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { AgentOS } from '../../src/os/agent-os.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { MAX_JSON_DEPTH } from '../../src/server/wire/common.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { collectEvents } from '../support/harness.ts';
import { checkResponsesAgainstOpenApi } from '../support/openapi-conformance.ts';
import type { Conformance } from '../support/openapi-conformance.ts';
import { postJson } from '../support/http.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { makeFlakyStep } from '../support/flaky-step.ts';

/** The second step fails while `flaky.failing`, and the run is held (PAUSED) until retried. */
const { step: flakyStep, flaky } = makeFlakyStep();
const held = new Workflow({
  name: 'Held',
  steps: [
    new Step({ name: 'Approve', requiresConfirmation: true, executor: () => 'approved' }),
    flakyStep,
  ],
});
const echo = new Workflow({ name: 'Echo', steps: [new Step({ name: 'Echo', executor: (input: StepInput) => `echo ${input.input}` })] });

let h: ApiHarness;
let conformance: Conformance | undefined;
before(async () => {
  h = await startApiHarness([held, echo]);
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});

const runsUrl = (workflow: string) => `${h.api.url}/workflows/${workflow}/runs`;
const runStatus = async (workflow: string, runId: string) => ((await (await fetch(`${runsUrl(workflow)}/${runId}`)).json()) as { status: string }).status;
async function flakyStarts(runId: string): Promise<number> {
  const log: RunEvent[] = [];
  for await (const page of h.engine.readEventLog(runId, { mode: 'snapshot' })) log.push(...page);
  return log.filter((e) => e.event === 'StepStarted' && e.step_name === 'Flaky').length;
}

/**
 * The names of the signals and accepted updates the run got (an update its validator refused
 * leaves no event), and whether it has handled them all (a workflow task completed after the last).
 */
async function signalsOf(runId: string): Promise<{ names: string[]; handled: boolean }> {
  const events = (await h.engine.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
  const nameOf = (e: (typeof events)[number]) =>
    e.workflowExecutionSignaledEventAttributes?.signalName ?? e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? undefined;
  const names = events.flatMap((e) => {
    const name = nameOf(e);
    return name === undefined ? [] : [name];
  });
  const last = events.findLastIndex((e) => nameOf(e) !== undefined);
  return { names, handled: events.slice(last + 1).some((e) => e.workflowTaskCompletedEventAttributes) };
}

describe('retry of a held run', () => {
  let runId: string;

  it('is a 409 while the run waits for a person, and leaves no retry behind', async () => {
    flaky.failing = true;
    const started = await postJson(runsUrl('held'), { message: 'go', stream: false, background: true });
    runId = ((await started.json()) as { run_id: string }).run_id;
    await waitUntil('the run to wait for a person', async () => (await runStatus('held', runId)) === 'PAUSED');
    const retry = await fetch(`${runsUrl('held')}/${runId}/retry`, { method: 'POST' });
    assert.equal(retry.status, 409);
    assert.match(((await retry.json()) as { detail: string }).detail, /waits for a person/);
    // The person approves; the next step fails and holds the run, and nothing retries it unasked.
    const answered = await postJson(`${runsUrl('held')}/${runId}/continue`, { step_requirements: [{ step_id: 'approve', confirmed: true }], stream: false });
    assert.equal(answered.status, 200);
    assert.equal(((await answered.json()) as { status: string }).status, 'PAUSED');
    // Nothing retries it unasked: the 409 sent the run no retry signal or update, and the run has
    // handled every one it got. Queries answer from the state after all of that, so the run is seen as
    // it stands for good: held, its failed step run once.
    const signals = await signalsOf(runId);
    assert.ok(!signals.names.includes('retry') && !signals.names.includes('retryHeld'), `the refused retry left no signal or update behind: ${signals.names.join(', ')}`);
    assert.ok(signals.names.includes('answer') || signals.names.includes('continue'), `the answer reached the run: ${signals.names.join(', ')}`);
    assert.ok(signals.handled, 'the run handled every signal it got');
    assert.equal(await runStatus('held', runId), 'PAUSED');
    assert.equal(await flakyStarts(runId), 1, 'the failed step ran once: no retry was pending');
  });

  it('answers concurrent retries with one 202 and 409s, and retries once', async () => {
    flaky.failing = false;
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${runsUrl('held')}/${runId}/retry`, { method: 'POST' })));
    const statuses = answers.map((answer) => answer.status);
    for (const answer of answers) await answer.body?.cancel();
    assert.deepEqual(statuses.toSorted(), [202, ...Array(9).fill(409)], `one retry taken, the others refused: ${statuses.join(', ')}`);
    const log = await collectEvents(h.engine, runId);
    assert.equal(log.at(-1)?.event, 'WorkflowCompleted');
    assert.equal(await flakyStarts(runId), 2, 'the failed step ran again once');
  });
});

describe('input the server cannot take', () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const start = (additionalData: string) =>
    fetch(runsUrl('echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"message":"x","stream":false,"background":true,"additional_data":${additionalData}}`,
    });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels with a 422, and starts nothing`, async () => {
    const before = h.temporalCalls.started.length;
    for (const depth of [MAX_JSON_DEPTH + 1, 4600]) {
      const response = await start(nested(depth));
      assert.equal(response.status, 422, `depth ${depth}`);
      assert.match(JSON.stringify(await response.json()), /"loc":\["body","additional_data"\].*nest deeper/);
    }
    assert.deepEqual(h.temporalCalls.startedSince(before), []);
    const deepest = await start(nested(MAX_JSON_DEPTH));
    assert.equal(deepest.status, 202, `${MAX_JSON_DEPTH} levels are accepted`);
  });

  it('refuses a Last-Event-ID that is no event index (400), as ?after= (422)', async () => {
    const { output } = await h.engine.startRun(echo.toPlan(), { input: 'go' });
    await withDeadline('the target run to end', h.engine.waitForRun(output.run_id));
    const eventsUrl = `${runsUrl('echo')}/${output.run_id}/events`;
    for (const id of ['9'.repeat(400), '-5', '1e3']) {
      const response = await fetch(eventsUrl, { headers: { 'last-event-id': id } });
      assert.equal(response.status, 400, `Last-Event-ID: ${id.slice(0, 20)}`);
      assert.match(((await response.json()) as { detail: string }).detail, /Last-Event-ID must be an event index/);
    }
    for (const after of ['9'.repeat(400), '-5', '1e3', '']) assert.equal((await fetch(`${eventsUrl}?after=${after}`)).status, 422, `?after=${after.slice(0, 20)}`);
  });

  it('refuses a chunked body without a content type (415) instead of reading it as no fields', async () => {
    const before = h.temporalCalls.started.length;
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('message=x&stream=false&background=true'));
        controller.close();
      },
    });
    const response = await fetch(runsUrl('echo'), { method: 'POST', body, duplex: 'half' } as RequestInit);
    assert.equal(response.headers.get('content-type')?.startsWith('application/json'), true);
    assert.equal(response.status, 415);
    assert.deepEqual(h.temporalCalls.startedSince(before), []);
  });

  it('documents the Idempotency-Key pattern it enforces', async () => {
    const doc = (await (await fetch(`${h.api.url}/openapi.json`)).json()) as { paths: Record<string, { post: { parameters: { name: string; schema: { pattern?: string } }[] } }> };
    const pattern = doc.paths['/workflows/{workflow_id}/runs']!.post.parameters.find((p) => p.name === 'Idempotency-Key')?.schema.pattern;
    assert.ok(pattern, 'the header has a pattern');
    for (const key of ['a b', 'tab\tkey', 'caf\u00e9', 'x'.repeat(256), 'ok-key_1.2:3/+=']) {
      const response = await postJson(runsUrl('echo'), { message: 'x', stream: false, background: true }, { 'idempotency-key': key });
      assert.equal(response.status === 202, new RegExp(pattern).test(key), `${JSON.stringify(key)}: ${response.status}`);
      assert.ok(response.status === 202 || response.status === 400, `${JSON.stringify(key)}: ${response.status}`);
    }
  });
});

describe('npm start with its Temporal port taken', () => {
  it('refuses to start, saying which port is in use, instead of using the other server', async () => {
    const takenPort = Number(h.temporal.address.split(':').at(-1));
    const lines: string[] = [];
    const address = process.env.TEMPORAL_ADDRESS;
    delete process.env.TEMPORAL_ADDRESS;
    try {
      const os = new AgentOS({
        workflows: [echo],
        devServerPort: takenPort,
        uiPort: await freePort(),
        port: 0,
        host: '127.0.0.1',
        dataFile: join(await mkdtemp(join(tmpdir(), 'taken-port-')), 'temporal.db'),
        log: (line) => lines.push(line),
      });
      await assert.rejects(withDeadline('AgentOS.serve to refuse', os.serve()), new RegExp(`port ${takenPort} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      if (address !== undefined) process.env.TEMPORAL_ADDRESS = address;
    }
    assert.ok(!lines.some((line) => /API ready|worker ready/.test(line)), lines.join('\n'));
  });
});

describe('the CLI rendering of a team whose members run in parallel', () => {
  it('writes each tool call under the agent that made it', () => {
    const lines: string[] = [];
    const renderer = new EventRenderer((line) => lines.push(line), PLAIN);
    const run = { created_at: 0, workflow_id: 'w', workflow_name: 'W', session_id: 's', step_id: 'research', step_name: 'Research', step_index: 0, workflow_run_id: 'wr', parent_run_id: 'team-run' };
    const agent = (name: string) => ({ ...run, run_id: `${name}-run`, agent_id: name, agent_name: name });
    const tool = (name: string) => ({ tool_call_id: `${name}-call`, tool_name: `${name}_tool`, tool_args: {}, created_at: 0 });
    const events = [
      { event: 'TeamRunStarted', ...run, parent_run_id: undefined, run_id: 'team-run', team_id: 'team', team_name: 'Team', model: 'm', model_provider: 'p' },
      { event: 'RunStarted', ...agent('Hackernews'), model: 'm', model_provider: 'p' },
      { event: 'RunStarted', ...agent('Finance'), model: 'm', model_provider: 'p' },
      { event: 'ToolCallStarted', ...agent('Hackernews'), tool: tool('hn') },
      { event: 'ToolCallStarted', ...agent('Finance'), tool: tool('finance') },
      { event: 'ToolCallCompleted', ...agent('Hackernews'), tool: { ...tool('hn'), result: 'stories' }, content: 'stories' },
    ].map((event, index) => ({ ...event, event_index: index }) as unknown as RunEvent);
    for (const event of events) renderer.render(event);
    const owner = (toolName: string) => {
      const at = lines.findIndex((line) => line.includes(toolName));
      return lines.slice(0, at).findLast((line) => /^\s*(Hackernews|Finance)\b/.test(line))?.trim().split(' ')[0];
    };
    assert.equal(owner('→ hn_tool'), 'Hackernews', lines.join('\n'));
    assert.equal(owner('→ finance_tool'), 'Finance', lines.join('\n'));
    assert.equal(owner('✓ hn_tool'), 'Hackernews', lines.join('\n'));
  });
});
