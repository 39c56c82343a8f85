/**
 * AG-UI's endpoint, driven by AG-UI's own client (`@ag-ui/client`'s `HttpAgent`: its request,
 * SSE parser, event checks and message building). A run comes as one AG-UI run: its state, its tool
 * call and result, the model's whole answer once, RUN_FINISHED; every event one of `@ag-ui/core`'s
 * schemas (the model's reasoning before its tool call a reasoning message), and the client's state (the snapshot with the patches applied) the run's at its end. A client whose connection drops mid-run
 * asks again with the same run id and the cursor of the last event it has: its messages end with
 * the whole answer, once. A run waiting for a person ends the AG-UI run with an interrupt; the
 * next AG-UI run answers it (AG-UI's resume) and the run goes on to its end.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HttpAgent } from '@ag-ui/client';
import { EventSchemas } from '@ag-ui/core/schemas';
import type { BaseEvent, Message } from '@ag-ui/client';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { desk, toolRuns } from '../agents/support/desk-agent.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import type { ApiHarness } from '../../support/api-harness.ts';

const lookup = defineTool({ name: 'lookup', description: 'Looks a topic up', parameters: { type: 'object', properties: { topic: { type: 'string' } } }, execute: () => 'the facts' });
const writer = new Workflow({
  name: 'Agui Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Agui Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [lookup] }) })],
});
const approved = new Workflow({
  name: 'Agui Approved',
  steps: [new Step({ name: 'Publish', requiresConfirmation: true, agent: new Agent({ name: 'Agui Publisher', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const ANSWER = 'Each word reaches the thread once, in order. '.repeat(8);
/** What the model shows of its reasoning as it decides on the tool call. */
const REASONING = 'A text on AG-UI: the topic wants looking up first.';

let h: ApiHarness;
// Every answer below is also checked against the server's /openapi.json.
let conformance: Conformance | undefined;
let url: string;
before(async () => {
  h = await startApiHarness([writer, approved], { runnables: servedRunnables({ agents: [desk] }), heartbeatMs: 200 });
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
  url = `${h.api.url}/agui/workflows/${writer.id}`;
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});

const userMessage = (content: string): Message => ({ id: randomUUID(), role: 'user', content });
const assistantText = (messages: Message[]) =>
  messages.filter((message) => message.role === 'assistant' && typeof message.content === 'string' && message.content).map((message) => message.content as string).join('');
const reasoningText = (messages: Message[]) => messages.filter((message) => message.role === 'reasoning').map((message) => message.content as string).join('');
const cursorOf = (event: BaseEvent) => (event.metadata as { cursor?: string } | undefined)?.cursor;

describe('the AG-UI endpoint', () => {
  it('runs a workflow as one AG-UI run: the reasoning, tool call and result, the whole answer once, RUN_FINISHED', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'agui' } }], reasoning: REASONING }, { kind: 'text', text: ANSWER, chunkDelayMs: 2 });
    const agent = new HttpAgent({ url, threadId: randomUUID(), initialMessages: [userMessage('Write')] });
    const types: string[] = [];
    const invalid: string[] = [];
    const onEvent = ({ event }: { event: BaseEvent }) => {
      types.push(event.type);
      if (!EventSchemas.safeParse(event).success) invalid.push(JSON.stringify(event));
    };
    const { result } = await agent.runAgent({ runId: randomUUID() }, { onEvent });
    assert.deepEqual(invalid, [], 'every event is one of AG-UI’s');
    assert.deepEqual(types.slice(0, 2), ['RUN_STARTED', 'STATE_SNAPSHOT']);
    assert.equal(types.at(-1), 'RUN_FINISHED');
    assert.equal(types.filter((type) => type === 'STATE_DELTA').length, 3, 'the step began, the step ended, the run completed');
    const state = agent.state as { status: string; current_step: unknown; steps: Record<string, { step_name: string; status: string; metrics?: { total_tokens?: number } }>; metrics: unknown };
    assert.equal(state.status, 'COMPLETED');
    assert.equal(state.current_step, null);
    const [writeStep] = Object.values(state.steps);
    assert.equal(writeStep?.step_name, 'Write');
    assert.equal(writeStep?.status, 'COMPLETED');
    assert.ok(state.metrics, 'the run’s metrics');
    assert.equal(result, ANSWER, 'the run’s result');
    assert.equal(assistantText(agent.messages), ANSWER, 'the whole answer, once');
    const call = agent.messages.find((message) => message.role === 'assistant' && message.toolCalls?.length);
    assert.ok(call && call.role === 'assistant');
    assert.equal(call.toolCalls?.[0]?.function.name, 'lookup');
    assert.deepEqual(JSON.parse(call.toolCalls![0]!.function.arguments), { topic: 'agui' });
    const toolResult = agent.messages.find((message) => message.role === 'tool');
    assert.equal(toolResult?.content, 'the facts');
    assert.equal(reasoningText(agent.messages), REASONING, 'the reasoning, once');
    assert.ok(types.indexOf('REASONING_START') >= 0 && types.indexOf('REASONING_END') < types.indexOf('TOOL_CALL_START'), 'the reasoning, ended before the tool call');
  });

  it('a connection dropped mid-run, taken up with the same run id and the cursor: the reasoning and the whole answer once', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'agui' } }], reasoning: REASONING }, { kind: 'text', text: ANSWER, chunkDelayMs: 40 });
    const agent = new HttpAgent({ url, threadId: randomUUID(), initialMessages: [userMessage('Write slowly')] });
    const runId = randomUUID();
    let cursor: string | undefined;
    let deltas = 0;
    const abortController = new AbortController();
    await agent.runAgent(
      { runId, abortController },
      {
        onEvent: ({ event }) => {
          cursor = cursorOf(event) ?? cursor;
          if (event.type === 'TEXT_MESSAGE_CONTENT' && ++deltas === 3) abortController.abort();
        },
      },
    );
    assert.ok(deltas >= 3 && cursor, 'some of the answer came before the drop');
    const before = assistantText(agent.messages);
    assert.ok(before.length > 0 && before.length < ANSWER.length, `part of the answer before the drop (${before.length} of ${ANSWER.length})`);

    const types: string[] = [];
    const snapshots: unknown[] = [];
    await agent.runAgent({ runId, forwardedProps: { cursor } }, { onEvent: ({ event }) => void types.push(event.type), onStateSnapshotEvent: ({ event }) => void snapshots.push(event.snapshot) });
    assert.equal(types.at(-1), 'RUN_FINISHED');
    assert.equal((snapshots[0] as { current_step?: { step_name: string } }).current_step?.step_name, 'Write', 'taken up, the state is the run’s where the client stood: in its step');
    assert.equal((agent.state as { status: string }).status, 'COMPLETED');
    assert.equal(assistantText(agent.messages), ANSWER, 'the whole answer, once');
    assert.equal(reasoningText(agent.messages), REASONING, 'the reasoning, once');
    assert.equal(agent.messages.filter((message) => message.role === 'assistant' && message.content).length, 1, 'one assistant message of text');
  });

  it('a run waiting for a person: an interrupt; answered by the next AG-UI run, the run goes on to its end', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'text', text: 'Published.' });
    const agent = new HttpAgent({ url: `${h.api.url}/agui/workflows/${approved.id}`, threadId: randomUUID(), initialMessages: [userMessage('Publish it')] });
    const outcomes: string[] = [];
    await agent.runAgent({ runId: randomUUID() }, { onRunFinishedEvent: ({ outcome }) => void outcomes.push(outcome) });
    assert.deepEqual(outcomes, ['interrupt']);
    assert.equal(agent.pendingInterrupts.length, 1, 'one interrupt: the step’s confirmation');
    const [interrupt] = agent.pendingInterrupts;
    assert.equal(interrupt!.reason, 'confirmation_required');

    const { result } = await agent.runAgent(
      { runId: randomUUID(), resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { confirmed: true } }] },
      { onRunFinishedEvent: ({ outcome }) => void outcomes.push(outcome) },
    );
    assert.deepEqual(outcomes, ['interrupt', 'success']);
    assert.equal(result, 'Published.');
    assert.equal(agent.pendingInterrupts.length, 0);
  });

  it('an agent’s tool that asks for confirmation: an interrupt naming the call; confirmed by the next AG-UI run, the tool runs', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'delete_file', arguments: { path: 'notes.txt' } }] }, { kind: 'text', text: 'Deleted.' });
    const agent = new HttpAgent({ url: `${h.api.url}/agui/agents/desk`, threadId: randomUUID(), initialMessages: [userMessage('delete my notes')] });
    const outcomes: string[] = [];
    await agent.runAgent({ runId: randomUUID() }, { onRunFinishedEvent: ({ outcome }) => void outcomes.push(outcome) });
    assert.deepEqual(outcomes, ['interrupt']);
    const [interrupt] = agent.pendingInterrupts;
    assert.equal(interrupt!.reason, 'confirmation_required');
    assert.ok(interrupt!.toolCallId, 'the interrupt names the tool call');
    assert.deepEqual(toolRuns, [], 'nothing ran before the answer');

    const { result } = await agent.runAgent(
      { runId: randomUUID(), resume: [{ interruptId: interrupt!.id, status: 'resolved', payload: { confirmed: true } }] },
      { onRunFinishedEvent: ({ outcome }) => void outcomes.push(outcome) },
    );
    assert.deepEqual(outcomes, ['interrupt', 'success']);
    assert.equal(result, 'Deleted.');
    assert.deepEqual(toolRuns, [{ tool: 'delete_file', args: { path: 'notes.txt' } }]);
  });
});
