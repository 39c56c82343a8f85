/**
 * The mapping of a run's stream to the AI SDK's UI message stream, read by the AI SDK's own
 * reader (`readUIMessageStream`): the message it builds has each model call's text once, tool
 * calls with their input and output, the run's status, step boundaries, and no text of a model
 * call attempt the log did not keep.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readUIMessageStream } from 'ai';
import type { UIMessage, UIMessageChunk } from 'ai';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import { UiMessageMapper } from '../../../src/server/ai-sdk/ui-message-chunks.ts';

const RUN = 'run-1';
const AGENT_RUN = 'agent-run-1';
let index = 0;
const base = () => ({ created_at: 1, run_id: RUN, workflow_id: 'w', workflow_name: 'W', session_id: 's' });
const logged = (event: string, fields: Record<string, unknown> = {}) => ({ event, ...base(), event_index: index++, ...fields }) as unknown as StreamedEvent;
const step = { step_id: 'step-1', step_name: 'Write', step_index: 0 };
const agent = { ...step, run_id: AGENT_RUN, workflow_run_id: RUN, agent_id: 'writer', agent_name: 'Writer' };
const content = (text: string, attempt = 1, live = false) =>
  (live
    ? { event: 'RunContent', ...base(), ...agent, content: text, model_call_id: 'call-1', model_call_attempt: attempt }
    : { event: 'RunContent', ...base(), ...agent, event_index: index++, content: text, model_call_id: 'call-1', model_call_attempt: attempt }) as unknown as StreamedEvent;

/** What the AI SDK's reader makes of the chunks: the message as it ends. */
async function messageOf(chunks: object[]): Promise<UIMessage> {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk as UIMessageChunk);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
  assert.ok(last, 'the reader made a message');
  return last;
}

const texts = (message: UIMessage) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : []));

describe('UiMessageMapper', () => {
  it('a run with a tool call and streamed text: one message, the text once, the tool with input and output, steps and status', async () => {
    index = 0;
    const tool = { tool_call_id: 't1', tool_name: 'lookup', tool_args: { q: 'x' }, created_at: 1 };
    const events = [
      logged('WorkflowStarted', { input: 'go' }),
      logged('StepStarted', step),
      logged('RunStarted', { ...agent, model: 'm', model_provider: 'p' }),
      logged('ToolCallStarted', { ...agent, tool }),
      logged('ToolCallCompleted', { ...agent, tool: { ...tool, result: 'found' }, content: 'found' }),
      content('Hel', 1, true),
      content('lo', 1, true),
      // The log's content event of text the client had live arrives emptied of it.
      content(''),
      content(' world'),
      logged('ModelRequestCompleted', { ...agent, model: 'm', model_provider: 'p', input_tokens: 1, output_tokens: 1, total_tokens: 2 }),
      logged('RunCompleted', { ...agent, content: 'Hello world', content_type: 'str' }),
      logged('StepCompleted', { ...step, content: 'Hello world', content_type: 'str', step_response: {} }),
      logged('WorkflowCompleted', { content: 'Hello world', content_type: 'str', status: 'COMPLETED', step_results: [], metrics: {} }),
    ];
    const mapper = new UiMessageMapper();
    const chunks = events.flatMap((event) => mapper.map(event));
    assert.equal(mapper.finished, true);
    assert.deepEqual(chunks.map((chunk) => chunk.type).filter((type) => ['start', 'start-step', 'finish-step', 'finish'].includes(type)), ['start', 'start-step', 'finish-step', 'finish']);
    const message = await messageOf(chunks);
    assert.equal(message.id, RUN, 'the message is the run');
    assert.deepEqual(texts(message), ['Hello world']);
    const toolPart = message.parts.find((part) => part.type === 'dynamic-tool');
    assert.ok(toolPart && toolPart.type === 'dynamic-tool');
    assert.equal(toolPart.toolName, 'lookup');
    assert.deepEqual(toolPart.input, { q: 'x' });
    assert.equal(toolPart.state, 'output-available');
    assert.equal(toolPart.state === 'output-available' && toolPart.output, 'found');
    const status = message.parts.filter((part) => part.type === 'data-run');
    assert.equal(status.length, 1, 'one status part, updated in place');
    assert.equal((status[0] as { data: { status: string } }).data.status, 'COMPLETED');
  });

  it('an agent’s run paused at its tools: the status part says PAUSED with its requirements, then RUNNING once continued', async () => {
    index = 0;
    const own = { ...agent, run_id: RUN };
    const tool = { tool_call_id: 't1', tool_name: 'delete_file', tool_args: {}, created_at: 1, requires_confirmation: true };
    const requirements = [{ id: 'r1', created_at: '2026-01-01T00:00:00Z', tool_execution: tool }];
    const mapper = new UiMessageMapper();
    const paused = [logged('WorkflowStarted', { input: 'go' }), logged('RunPaused', { ...own, content: 'I have tools to execute, but I need confirmation.', tools: [tool], requirements })].flatMap((event) => mapper.map(event));
    const status = (chunks: object[]) => (chunks.filter((chunk) => (chunk as { type: string }).type === 'data-run').at(-1) as { data: { status: string; requirements?: unknown[] } }).data;
    assert.equal(status(paused).status, 'PAUSED');
    assert.deepEqual(status(paused).requirements, requirements);
    assert.equal(mapper.finished, false, 'the stream stays open while the run waits');
    assert.equal(status(mapper.map(logged('RunContinued', own))).status, 'RUNNING');
  });

  it('live text of an attempt the log does not keep leaves the message; the rest of the step stays', async () => {
    index = 0;
    const tool = { tool_call_id: 't1', tool_name: 'lookup', tool_args: {}, created_at: 1 };
    const events = [
      logged('WorkflowStarted', { input: 'go' }),
      logged('StepStarted', step),
      logged('ToolCallStarted', { ...agent, tool }),
      logged('ToolCallCompleted', { ...agent, tool: { ...tool, result: 'r' }, content: 'r' }),
      content('Wrong an', 1, true),
      { event: 'RunContentDiscarded', ...base(), ...agent, model_call_id: 'call-1', model_call_attempt: 1, discarded_length: 8 } as unknown as StreamedEvent,
      content('Right answer', 2),
      logged('RunCompleted', { ...agent, content: 'Right answer', content_type: 'str' }),
      logged('StepCompleted', { ...step, content: 'Right answer', content_type: 'str', step_response: {} }),
      logged('WorkflowError', { status: 'ERROR', error: 'later failure' }),
    ];
    const mapper = new UiMessageMapper();
    const chunks = events.flatMap((event) => mapper.map(event));
    assert.ok(chunks.some((chunk) => chunk.type === 'reset-step'));
    const message = await messageOf(chunks.filter((chunk) => chunk.type !== 'error'));
    assert.deepEqual(texts(message), ['Right answer']);
    assert.equal(message.parts.filter((part) => part.type === 'dynamic-tool').length, 1, 'the step’s tool call is still there, once');
    assert.deepEqual(chunks.slice(-2), [{ type: 'error', errorText: 'later failure' }, { type: 'finish', finishReason: 'error' }]);
  });
});
