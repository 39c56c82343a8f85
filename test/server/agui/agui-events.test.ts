/**
 * The mapping of a run's stream to AG-UI's events: each event's cursor lets a client that has it
 * take the run up with nothing lost (a frame that became several events is sent again unless the
 * client has its last one); a request that takes the run up mid-message begins that message again
 * under its id, and ends only the steps it began. The model's reasoning comes as a reasoning message
 * before the attempt's text; the run's state as a snapshot first, then a JSON Patch per change.
 * Every event is one of AG-UI's own schemas (`@ag-ui/core`).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { HttpAgent } from '@ag-ui/client';
import { EventSchemas } from '@ag-ui/core/schemas';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import { AguiMapper } from '../../../src/server/agui/agui-events.ts';
import type { AguiEvent } from '../../../src/server/agui/agui-events.ts';
import { applyStatePatch, initialRunState } from '../../../src/server/agui/agui-state.ts';
import type { AguiRunState, JsonPatchOperation } from '../../../src/server/agui/agui-state.ts';

const ids = { threadId: 'thread', runId: 'agui-run' };
const base = { created_at: 1, run_id: 'run', workflow_id: 'w', workflow_name: 'W', session_id: 's' };
const step = { step_id: 'step-1', step_name: 'Write', step_index: 0 };
const agent = { ...step, run_id: 'agent-run', workflow_run_id: 'run', agent_id: 'a', agent_name: 'A' };
const frame = (id: string, event: Record<string, unknown>) => ({ id, event: { ...base, ...event } as unknown as StreamedEvent });
const text = (id: string, content: string) => frame(id, { event: 'RunContent', ...agent, content, model_call_id: 'c', model_call_attempt: 1 });
const reasoning = (id: string, reasoning_content: string) => frame(id, { event: 'RunContent', ...agent, content: '', reasoning_content, model_call_id: 'c', model_call_attempt: 1 });
const completed = (id: string, event_index: number) =>
  frame(id, { event: 'WorkflowCompleted', event_index, content: 'Hello', content_type: 'str', status: 'COMPLETED', step_results: [], metrics: { steps: {}, duration: 1.5 } });
const valid = (events: AguiEvent[]) => {
  for (const event of events) assert.ok(EventSchemas.safeParse(event).success, `${event.type} is one of AG-UI's events: ${JSON.stringify(event)}`);
  return events;
};

it('from the start: events carry cursors so that a frame’s events come again unless the client has its last', () => {
  const mapper = new AguiMapper(ids, '-1', initialRunState('run'));
  const first = valid(mapper.map(frame('0', { event: 'StepStarted', event_index: 0, ...step })));
  assert.deepEqual(first.map((event) => [event.type, event.metadata.cursor]), [['RUN_STARTED', '-1'], ['STATE_SNAPSHOT', '-1'], ['STATE_DELTA', '-1'], ['STEP_STARTED', '0']]);
  const second = valid(mapper.map(text('0~c.1.5', 'Hello')));
  assert.deepEqual(second.map((event) => [event.type, event.metadata.cursor]), [['TEXT_MESSAGE_START', '0'], ['TEXT_MESSAGE_CONTENT', '0~c.1.5']]);
  const end = valid(mapper.map(completed('1', 1)));
  assert.deepEqual(end.map((event) => event.type), ['STATE_DELTA', 'TEXT_MESSAGE_END', 'STEP_FINISHED', 'RUN_FINISHED']);
  assert.equal(mapper.finished, true);
});

it('taken up mid-message: the message begins again under its id; a step begun before is not ended here', () => {
  const mapper = new AguiMapper(ids, '0~c.1.5', initialRunState('run'));
  const events = [text('0~c.1.11', ' world'), frame('1', { event: 'StepCompleted', event_index: 1, ...step, content: '', content_type: 'str', step_response: {} })].flatMap((f) => mapper.map(f));
  assert.deepEqual(
    events.map((event) => event.type),
    ['RUN_STARTED', 'STATE_SNAPSHOT', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'STATE_DELTA', 'TEXT_MESSAGE_END'],
  );
  assert.equal(events[2]!.messageId, 'agui-run:c.1', 'the id the client’s message has');
});

it('reasoning: a reasoning message of the attempt, ended when its answer’s text begins', () => {
  const mapper = new AguiMapper(ids, '-1', initialRunState('run'));
  const events = valid([frame('0', { event: 'StepStarted', event_index: 0, ...step }), reasoning('0~c.1.0r4', 'Hmm,'), reasoning('0~c.1.0r9', ' yes'), text('0~c.1.5', 'Hello'), completed('1', 1)].flatMap((f) => mapper.map(f)));
  assert.deepEqual(
    events.map((event) => event.type).filter((type) => type.startsWith('REASONING') || type.startsWith('TEXT')),
    ['REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_CONTENT', 'REASONING_MESSAGE_END', 'REASONING_END', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END'],
  );
  const deltas = events.filter((event) => event.type === 'REASONING_MESSAGE_CONTENT').map((event) => event.delta);
  assert.deepEqual(deltas, ['Hmm,', ' yes']);
  assert.equal(events.find((event) => event.type === 'REASONING_START')!.messageId, 'agui-run:c.1:reasoning');
});

it('reasoning as AG-UI’s client takes it: its checks pass, and the thread has the reasoning message before the answer', async () => {
  const mapper = new AguiMapper(ids, '-1', initialRunState('run'));
  const events = [frame('0', { event: 'StepStarted', event_index: 0, ...step }), reasoning('0~c.1.0r4', 'Hmm,'), reasoning('0~c.1.0r9', ' yes'), text('0~c.1.5', 'Hello'), completed('1', 1)].flatMap((f) => mapper.map(f));
  const body = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
  // The client's own request, SSE parser, event checks and message building, over these events.
  const agent = new HttpAgent({ url: 'http://agui.test/', threadId: ids.threadId, fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }) });
  const { result } = await agent.runAgent({ runId: ids.runId });
  assert.equal(result, 'Hello');
  assert.deepEqual(
    agent.messages.map((message) => [message.role, message.content]),
    [['reasoning', 'Hmm, yes'], ['assistant', 'Hello']],
  );
});

it('state: the snapshot and its patches give the run’s status, current step, steps and metrics', () => {
  const mapper = new AguiMapper(ids, '-1', initialRunState('run'));
  const stepResult = { step_id: step.step_id, step_name: 'Write', step_type: 'Step', executor_type: 'agent', executor_name: 'A', content: 'Hello', success: true, metrics: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } };
  const frames = [
    frame('0', { event: 'StepStarted', event_index: 0, ...step }),
    frame('1', { event: 'StepCompleted', event_index: 1, ...step, content: 'Hello', content_type: 'str', step_response: stepResult }),
    completed('2', 2),
  ];
  let state = initialRunState('other');
  const states: unknown[] = [];
  for (const event of valid(frames.flatMap((f) => mapper.map(f)))) {
    if (event.type === 'STATE_SNAPSHOT') state = event.snapshot as AguiRunState;
    if (event.type !== 'STATE_DELTA') continue;
    // (AG-UI's client applies them with a JSON Patch library: see agui.test.ts.)
    state = applyStatePatch(state, event.delta as JsonPatchOperation[]);
    states.push(structuredClone(state));
  }
  assert.deepEqual(states[0], { run_id: 'run', status: 'RUNNING', current_step: step, steps: { 'step-1': { step_name: 'Write', step_index: 0, status: 'RUNNING' } }, metrics: null });
  assert.deepEqual(states.at(-1), {
    run_id: 'run',
    status: 'COMPLETED',
    current_step: null,
    steps: { 'step-1': { step_name: 'Write', step_index: 0, status: 'COMPLETED', metrics: stepResult.metrics } },
    metrics: { steps: {}, duration: 1.5 },
  });
});
