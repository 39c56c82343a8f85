/**
 * `useChat`'s endpoints, driven by the AI SDK's own client pieces in Node: its transport
 * (`DefaultChatTransport`: the POST, the resume GET, its parser and chunk schema) and its reader
 * (`readUIMessageStream`). A chat's run streams as one assistant message with the model's reasoning
 * and whole answer, once; a client that drops mid-run and resumes (as a reloaded page does) gets the whole
 * answer once; after the run, resuming finds nothing (204). Behind JWTs a chat needs the run scope
 * of the kind it runs: an agent's `agents:run`, a workflow's `workflows:run`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DefaultChatTransport, readUIMessageStream } from 'ai';
import type { UIMessage, UIMessageChunk } from 'ai';
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { defineTool } from '../../../src/definitions/tool.ts';
import { Workflow } from '../../../src/os/workflow.ts';
import { servedRunnables } from '../../../src/os/served-runnables.ts';
import { authFromEnv } from '../../../src/server/http/auth.ts';
import { startApiHarness } from '../../support/api-harness.ts';
import { checkResponsesAgainstOpenApi } from '../../support/openapi-conformance.ts';
import type { Conformance } from '../../support/openapi-conformance.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { pollRunUntilEnded } from '../../support/http.ts';
import { HS_SECRET, hs256, signJwt } from '../../support/tokens.ts';

const lookup = defineTool({ name: 'lookup', description: 'Looks a topic up', parameters: { type: 'object', properties: { topic: { type: 'string' } } }, execute: () => 'the facts' });
const writer = new Workflow({
  name: 'Chat Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Chat Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [lookup] }) })],
});
const ANSWER = 'Every word of the answer arrives once, in order. '.repeat(8);
/** What the model shows of its reasoning as it decides on the tool call (logged with the call's result). */
const REASONING = 'The user wants a text on chat: I look the topic up first.';
/** Served on its own too (AgentOS({ agents })): the same chat endpoint runs it. */
const assistant = new Agent({ name: 'Chat Assistant', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [lookup] });

let h: ApiHarness;
// Every answer below is also checked against the server's /openapi.json.
let conformance: Conformance | undefined;
let api: string;
before(async () => {
  h = await startApiHarness([writer], { heartbeatMs: 200, runnables: servedRunnables({ agents: [assistant] }) });
  conformance = await checkResponsesAgainstOpenApi(h.api.url);
  api = `${h.api.url}/ai-sdk/workflows/${writer.id}/chat`;
});
after(async () => {
  conformance?.detach();
  await h?.close();
  assert.deepEqual(conformance?.mismatches ?? [], [], 'every answer conforms to /openapi.json');
});

const userMessage = (text: string): UIMessage => ({ id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] });
const texts = (message: UIMessage | undefined, type: 'text' | 'reasoning' = 'text') =>
  (message?.parts ?? []).flatMap((part) => (part.type === type ? [part.text] : [])).join('');

/** The message the AI SDK's reader builds from a stream of chunks, as it ends. */
async function finalMessage(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage | undefined> {
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
  return last;
}

describe('the AI SDK chat endpoints', () => {
  it('stream a run as one assistant message: the reasoning, tool call, the whole answer once, the finish; the log keeps the reasoning as Agno does', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'chat' } }], reasoning: REASONING }, { kind: 'text', text: ANSWER, chunkDelayMs: 2 });
    const chunks: UIMessageChunk[] = [];
    const heads: Response[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      heads.push(response);
      return response;
    };
    const transport = new DefaultChatTransport<UIMessage>({ api, fetch: recording });
    const stream = await transport.sendMessages({ chatId: randomUUID(), messages: [userMessage('Write')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    assert.equal(heads[0]?.status, 200);
    assert.equal(heads[0]?.headers.get('x-vercel-ai-ui-message-stream'), 'v1');
    const [forReader, forList] = stream.tee();
    const listed = (async () => {
      for await (const chunk of forList) chunks.push(chunk);
    })();
    const message = await finalMessage(forReader);
    await listed;
    assert.ok(message);
    assert.equal(texts(message), ANSWER, 'the whole answer, once');
    const tool = message.parts.find((part) => part.type === 'dynamic-tool');
    assert.ok(tool && tool.type === 'dynamic-tool' && tool.state === 'output-available', 'the tool call with its output');
    assert.deepEqual(tool.input, { topic: 'chat' });
    assert.equal(tool.output, 'the facts');
    assert.equal(chunks[0]?.type, 'start');
    assert.equal(chunks.at(-1)?.type, 'finish');
    const run = await pollRunUntilEnded(`${h.api.url}/workflows/${writer.id}/runs/${message.id}`);
    assert.equal(run.status, 'COMPLETED', 'the message id is the run id');
    assert.equal(texts(message, 'reasoning'), REASONING, 'the reasoning, once');
    const order = (type: string) => message.parts.findIndex((part) => part.type === type);
    assert.ok(order('reasoning') >= 0 && order('reasoning') < order('dynamic-tool') && order('dynamic-tool') < order('text'), 'the reasoning before the tool call and the answer');
    // Agno's log: RunContent chunks with empty content carry the reasoning; the agent's RunOutput has it whole.
    const events = run['events'] as { event: string; content?: string; reasoning_content?: string }[];
    const reasoningChunks = events.filter((event) => event.event === 'RunContent' && event.reasoning_content);
    assert.equal(reasoningChunks.map((event) => event.reasoning_content).join(''), REASONING);
    assert.ok(reasoningChunks.every((event) => event.content === ''), 'reasoning is never answer text');
    const [agentRun] = run['step_executor_runs'] as { reasoning_content?: string }[];
    assert.equal(agentRun?.reasoning_content, REASONING);
    assert.equal(events.find((event) => event.event === 'RunCompleted')?.reasoning_content, REASONING, 'RunCompleted carries it too, as Agno’s');
  });

  it('chat with an agent served on its own: the same stream, and the run is the agent’s', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'text', text: ANSWER, chunkDelayMs: 2 });
    const transport = new DefaultChatTransport<UIMessage>({ api: `${h.api.url}/ai-sdk/agents/${assistant.id}/chat` });
    const stream = await transport.sendMessages({ chatId: randomUUID(), messages: [userMessage('Hello')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    const message = await finalMessage(stream);
    assert.equal(texts(message), ANSWER, 'the whole answer, once');
    const run = (await (await fetch(`${h.api.url}/agents/${assistant.id}/runs/${message!.id}`)).json()) as { status: string; content: string };
    assert.equal(run.status, 'COMPLETED', 'the message id is the agent’s run id');
    assert.equal(run.content, ANSWER);
    const unknown = await fetch(`${h.api.url}/ai-sdk/agents/no-such-agent/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'c', messages: [userMessage('Hi')] }) });
    assert.equal(unknown.status, 404);
  });

  it('behind JWTs: an agents:run token chats with an agent, and is refused a workflow’s chat (workflows:run) on both protocols', { timeout: 120_000 }, async () => {
    const secured = await h.serve({ authenticate: authFromEnv({ JWT_VERIFICATION_KEY: HS_SECRET, JWT_ALGORITHMS: 'HS256' }) });
    const holding = (scopes: string[]) => ({ authorization: `Bearer ${signJwt({ sub: 'ann', scopes }, hs256)}`, 'content-type': 'application/json' });
    const agentsOnly = holding(['agents:run']);
    h.openai.enqueue({ kind: 'text', text: 'Hello, Ann.' });
    const transport = new DefaultChatTransport<UIMessage>({ api: `${secured.url}/ai-sdk/agents/${assistant.id}/chat`, headers: agentsOnly });
    const message = await finalMessage(await transport.sendMessages({ chatId: randomUUID(), messages: [userMessage('Hello')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined }));
    assert.equal(texts(message), 'Hello, Ann.');

    const chatBody = JSON.stringify({ id: randomUUID(), messages: [userMessage('Hi')] });
    const workflowChat = await fetch(`${secured.url}/ai-sdk/workflows/${writer.id}/chat`, { method: 'POST', headers: agentsOnly, body: chatBody });
    assert.equal(workflowChat.status, 403);
    assert.match(((await workflowChat.json()) as { detail: string }).detail, /workflows:run/);
    const aguiBody = JSON.stringify({ threadId: randomUUID(), runId: randomUUID(), messages: [{ id: randomUUID(), role: 'user', content: 'Hi' }] });
    assert.equal((await fetch(`${secured.url}/agui/workflows/${writer.id}`, { method: 'POST', headers: agentsOnly, body: aguiBody })).status, 403);
    // The per-agent form: another agent's scope is not this agent's.
    assert.equal((await fetch(`${secured.url}/ai-sdk/agents/${assistant.id}/chat`, { method: 'POST', headers: holding(['agents:someone-else:run']), body: chatBody })).status, 403);
  });

  it('resume after a drop mid-run: the reasoning and the whole answer once; after the run: nothing to resume (204)', { timeout: 120_000 }, async () => {
    h.openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'lookup', arguments: { topic: 'chat' } }], reasoning: REASONING }, { kind: 'text', text: ANSWER, chunkDelayMs: 40 });
    const chatId = randomUUID();
    const transport = new DefaultChatTransport<UIMessage>({ api });
    const first = await transport.sendMessages({ chatId, messages: [userMessage('Write slowly')], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
    // Read until some of the answer has come, then drop (the page reloads).
    const reader = first.getReader();
    let deltas = 0;
    while (deltas < 3) {
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the stream went on past the first words');
      if (value.type === 'text-delta') deltas += 1;
    }
    await reader.cancel();

    const resumed = await transport.reconnectToStream({ chatId });
    assert.ok(resumed, 'a run in progress to resume');
    const message = await finalMessage(resumed);
    assert.equal(texts(message), ANSWER, 'the whole answer, once');
    assert.equal(texts(message, 'reasoning'), REASONING, 'the reasoning, once');
    const run = await pollRunUntilEnded(`${h.api.url}/workflows/${writer.id}/runs/${message!.id}`);
    assert.equal(run.status, 'COMPLETED');

    assert.equal(await transport.reconnectToStream({ chatId }), null, 'an ended run is not resumed');
    assert.equal(await transport.reconnectToStream({ chatId: randomUUID() }), null, 'a chat without runs has nothing to resume');
  });
});
