/**
 * The mapping of a run's stream to AG-UI's events: each event's cursor lets a client that has it
 * take the run up with nothing lost (a frame that became several events is sent again unless the
 * client has its last one); a request that takes the run up mid-message begins that message again
 * under its id, and ends only the steps it began.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { StreamedEvent } from '../../../src/contracts/live.ts';
import { AguiMapper } from '../../../src/server/agui/agui-events.ts';

const ids = { threadId: 'thread', runId: 'agui-run' };
const base = { created_at: 1, run_id: 'run', workflow_id: 'w', workflow_name: 'W', session_id: 's' };
const step = { step_id: 'step-1', step_name: 'Write', step_index: 0 };
const agent = { ...step, run_id: 'agent-run', workflow_run_id: 'run', agent_id: 'a', agent_name: 'A' };
const frame = (id: string, event: Record<string, unknown>) => ({ id, event: { ...base, ...event } as unknown as StreamedEvent });
const text = (id: string, content: string) => frame(id, { event: 'RunContent', ...agent, content, model_call_id: 'c', model_call_attempt: 1 });

it('from the start: events carry cursors so that a frame’s events come again unless the client has its last', () => {
  const mapper = new AguiMapper(ids, '-1');
  const first = mapper.map(frame('0', { event: 'StepStarted', event_index: 0, ...step }));
  assert.deepEqual(first.map((event) => [event.type, event.metadata.cursor]), [['RUN_STARTED', '-1'], ['STEP_STARTED', '0']]);
  const second = mapper.map(text('0~c.1.5', 'Hello'));
  assert.deepEqual(second.map((event) => [event.type, event.metadata.cursor]), [['TEXT_MESSAGE_START', '0'], ['TEXT_MESSAGE_CONTENT', '0~c.1.5']]);
  const end = mapper.map(frame('1', { event: 'WorkflowCompleted', event_index: 1, content: 'Hello', content_type: 'str', status: 'COMPLETED', step_results: [], metrics: {} }));
  assert.deepEqual(end.map((event) => event.type), ['TEXT_MESSAGE_END', 'STEP_FINISHED', 'RUN_FINISHED']);
  assert.equal(mapper.finished, true);
});

it('taken up mid-message: the message begins again under its id; a step begun before is not ended here', () => {
  const mapper = new AguiMapper(ids, '0~c.1.5');
  const events = [text('0~c.1.11', ' world'), frame('1', { event: 'StepCompleted', event_index: 1, ...step, content: '', content_type: 'str', step_response: {} })].flatMap((f) => mapper.map(f));
  assert.deepEqual(
    events.map((event) => event.type),
    ['RUN_STARTED', 'TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END'],
  );
  assert.equal(events[1]!.messageId, 'agui-run:c.1', 'the id the client’s message has');
});
