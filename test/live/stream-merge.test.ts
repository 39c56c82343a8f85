/**
 * A client's stream of a run (src/live/stream-merge.ts), on a run's log and live deltas as the
 * live lane delivers them: text is never repeated nor lost, whatever the client reconnects with,
 * and live text of an attempt the log does not keep is discarded before the log's text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import type { LiveContentTemplate, LiveDelta, StreamedEvent } from '../../src/contracts/live.ts';
import { formatCursor, parseCursor } from '../../src/live/cursor.ts';
import type { StreamCursor } from '../../src/live/cursor.ts';
import { LiveCalls } from '../../src/live/live-calls.ts';
import { RunStreamPosition } from '../../src/live/stream-merge.ts';
import type { FollowedRun, StreamFrame } from '../../src/live/stream-merge.ts';
import { EventLog } from '../../src/workflows/event-log.ts';

const AGENT = { step_id: 's', step_name: 'S', step_index: 0, run_id: 'agent-run', workflow_run_id: 'r1', agent_id: 'a', agent_name: 'A' };

/** A run as a tail holds it: the real event log and live state, fed by the test. */
class Run implements FollowedRun {
  readonly log = new EventLog({ run_id: 'r1', workflow_id: 'w', workflow_name: 'W', session_id: 's' });
  readonly live = new LiveCalls();
  events: RunEvent[] = [];
  liveCall = (id: string) => this.live.get(id);
  inFlight = () => this.live.inFlight();
  /** The tail reads the log: every event not read yet. */
  sync(): void {
    for (const event of this.log.after(this.events.length - 1, 1000)) {
      this.events.push(event);
      this.live.noteLogEvent(event);
    }
  }
  open(callId: string): LiveContentTemplate {
    const template = this.log.openStream(callId, 'RunContent', AGENT)!;
    this.sync();
    return template;
  }
  delta(template: LiveContentTemplate, callId: string, attempt: number, offset: number, text: string): LiveDelta {
    const delta: LiveDelta = { runId: 'r1', callId, attempt, offset, text, at: Date.now(), ...(offset === 0 ? { template } : {}) };
    this.live.apply(delta);
    return delta;
  }
}

/** A client: reads what its position has for it, keeps the text per call, honours discards. */
class Client {
  position: RunStreamPosition;
  frames: StreamFrame[] = [];
  text = new Map<string, string>();
  constructor(cursor: StreamCursor = { after: -1, calls: [] }) {
    this.position = new RunStreamPosition(cursor);
  }
  read(run: Run): StreamedEvent[] {
    const got = [...this.position.next(run)];
    this.frames.push(...got);
    for (const { event } of got) {
      if ((event.event === 'RunContent' || event.event === 'TeamRunContent') && event.model_call_id) {
        this.text.set(event.model_call_id, (this.text.get(event.model_call_id) ?? '') + event.content);
      }
      if (event.event === 'RunContentDiscarded' || event.event === 'TeamRunContentDiscarded') this.text.delete(event.model_call_id);
    }
    return got.map((frame) => frame.event);
  }
  get lastId(): string {
    return this.frames.at(-1)!.id;
  }
}

describe('a client stream of a run', () => {
  it('sends live text once, then every log event with the text taken out', () => {
    const run = new Run();
    run.log.emit('RunStarted', { ...AGENT, model: 'm', model_provider: 'p' });
    const t = run.open('c1');
    const client = new Client();
    client.read(run);
    run.delta(t, 'c1', 1, 0, 'Hel');
    run.delta(t, 'c1', 1, 3, 'lo');
    const live = client.read(run);
    assert.deepEqual(live.map((e) => [e.event, e.event_index, 'content' in e ? e.content : '']), [['RunContent', undefined, 'Hel'], ['RunContent', undefined, 'lo']]);
    assert.equal(client.lastId, '0~c1.1.5');
    run.log.closeStream('c1', { content: 'Hello', streamed: { attempt: 1, segments: [3, 2] } });
    run.log.emit('RunCompleted', { ...AGENT, content: 'Hello', content_type: 'str' });
    run.sync();
    const logged = client.read(run);
    assert.deepEqual(logged.map((e) => [e.event_index, 'content' in e ? e.content : undefined]), [[1, ''], [2, ''], [3, 'Hello']]);
    assert.equal(client.lastId, '3');
    assert.equal(client.text.get('c1'), 'Hello');
  });

  it('resumes from any frame id with exactly the text it lacks, live or from the log', () => {
    const run = new Run();
    const t = run.open('c1');
    run.delta(t, 'c1', 1, 0, 'ab');
    run.delta(t, 'c1', 1, 2, 'cd');
    run.delta(t, 'c1', 1, 4, 'ef');
    const first = new Client();
    first.read(run);
    const ids = first.frames.map((frame) => frame.id);
    run.log.closeStream('c1', { content: 'abcdefgh', streamed: { attempt: 1, segments: [2, 2, 2, 2] } });
    run.sync();
    first.read(run);
    ids.push(...first.frames.slice(ids.length).map((frame) => frame.id));
    assert.equal(first.text.get('c1'), 'abcdefgh');
    // A client that had everything up to each frame, reconnecting with that frame's id.
    for (const [i, id] of ids.entries()) {
      const before = new Client();
      before.text.set('c1', '');
      for (const { event } of first.frames.slice(0, i + 1)) if (event.event === 'RunContent') before.text.set('c1', before.text.get('c1') + event.content);
      const resumed = new Client(parseCursor(id)!);
      resumed.text = before.text;
      resumed.read(run);
      assert.equal(resumed.text.get('c1'), 'abcdefgh', `resumed after frame ${i} (${id})`);
    }
  });

  it('discards the live text of a failed attempt before the retry streams', () => {
    const run = new Run();
    const t = run.open('c1');
    const client = new Client();
    run.delta(t, 'c1', 1, 0, 'Bon');
    client.read(run);
    run.delta(t, 'c1', 2, 0, 'Hel');
    run.delta(t, 'c1', 2, 3, 'lo');
    const events = client.read(run);
    assert.deepEqual(events.map((e) => e.event), ['RunContentDiscarded', 'RunContent', 'RunContent']);
    assert.equal(events[0]!.event === 'RunContentDiscarded' && events[0]!.discarded_length, 3);
    run.log.closeStream('c1', { content: 'Hello', streamed: { attempt: 2, segments: [3, 2] } });
    run.sync();
    client.read(run);
    assert.equal(client.text.get('c1'), 'Hello');
  });

  it('discards live text the log replaced with another attempt it never saw live', () => {
    const run = new Run();
    const t = run.open('c1');
    const client = new Client();
    run.delta(t, 'c1', 1, 0, 'Bon');
    client.read(run);
    // The worker died; attempt 2 ran where no live delta reached this reader.
    run.log.closeStream('c1', { content: 'Hello', streamed: { attempt: 2, segments: [5] } });
    run.sync();
    const events = client.read(run);
    assert.deepEqual(events.map((e) => e.event), ['RunContentDiscarded', 'RunContent']);
    assert.equal(client.text.get('c1'), 'Hello');
    // The same from a cursor saved before: a client reconnecting elsewhere.
    const resumed = new Client({ after: -1, calls: [{ id: 'c1', attempt: 1, chars: 3 }] });
    resumed.text.set('c1', 'Bon');
    resumed.read(run);
    assert.equal(resumed.text.get('c1'), 'Hello');
  });

  it('discards live text of a call that ended without it (a retry answered with tool calls only)', () => {
    const run = new Run();
    const t = run.open('c1');
    const client = new Client();
    run.delta(t, 'c1', 1, 0, 'Let me');
    client.read(run);
    run.log.closeStream('c1', { content: '', streamed: undefined });
    run.log.emit('ToolCallStarted', { ...AGENT, tool: { tool_call_id: 'x', tool_name: 'f', tool_args: {}, created_at: 0 } });
    run.sync();
    const events = client.read(run);
    assert.deepEqual(events.map((e) => e.event), ['RunContentDiscarded', 'ToolCallStarted']);
    assert.equal(client.text.has('c1'), false);
  });

  it('holds live text until the client has the log up to where the call started', () => {
    const run = new Run();
    run.log.emit('RunStarted', { ...AGENT, model: 'm', model_provider: 'p' });
    const t = run.log.openStream('c1', 'RunContent', AGENT)!; // the tail has not read RunStarted yet
    run.delta(t, 'c1', 1, 0, 'Hi');
    const client = new Client();
    assert.deepEqual(client.read(run), []);
    run.sync();
    assert.deepEqual(client.read(run).map((e) => e.event), ['RunStarted', 'RunContent']);
  });

  it('holds live text for a client ahead of this reader, whose log then shows the call ended', () => {
    const run = new Run();
    const t = run.open('c1');
    run.delta(t, 'c1', 1, 0, 'Hello');
    run.log.closeStream('c1', { content: 'Hello', streamed: { attempt: 1, segments: [5] } });
    run.log.emit('RunCompleted', { ...AGENT, content: 'Hello', content_type: 'str' });
    assert.equal(run.events.length, 0, 'this reader has not read the log yet');
    // A client that had the whole call from another replica reconnects here.
    const client = new Client({ after: 0, calls: [] });
    client.text.set('c1', 'Hello');
    assert.deepEqual(client.read(run), [], 'no live text before the log is read');
    run.sync();
    assert.deepEqual(client.read(run).map((e) => e.event), ['RunCompleted']);
    assert.equal(client.text.get('c1'), 'Hello');
  });

  it('keeps a call only as long as its deltas continue it exactly', () => {
    const calls = new LiveCalls();
    const template: LiveContentTemplate = { event: 'RunContent', fields: AGENT, after: -1 };
    const delta = (attempt: number, offset: number, text: string): LiveDelta => ({ runId: 'r', callId: 'c', attempt, offset, text, at: 0, ...(offset === 0 ? { template } : {}) });
    assert.equal(calls.apply(delta(1, 2, 'late')), false, 'joined mid-attempt: nothing to show');
    assert.equal(calls.apply(delta(1, 0, 'ab')), true);
    assert.equal(calls.apply(delta(1, 0, 'ab')), false, 'a repeat');
    assert.equal(calls.apply(delta(1, 5, 'gap')), false, 'a gap');
    assert.equal(calls.apply(delta(1, 2, 'cd')), false, 'nothing after a gap');
    assert.equal(calls.get('c')?.length, 2);
    assert.equal(calls.apply(delta(2, 0, 'xy')), true, 'a new attempt starts over');
    assert.equal(calls.apply(delta(1, 2, 'cd')), false, 'an old attempt is stale');
  });

  it('sends no live text after the log has ended: deltas a cancelled call still sends are not the run’s', () => {
    const run = new Run();
    const t = run.open('c1');
    run.log.emit('WorkflowCancelled', { status: 'CANCELLED', reason: 'cancelled', content: 'cancelled' });
    run.sync();
    run.delta(t, 'c1', 1, 0, 'too late');
    const events = new Client().read(run);
    assert.deepEqual(events.map((e) => e.event), ['WorkflowCancelled']);
  });

  it('round-trips cursors, with call ids that hold the separators', () => {
    const cursor: StreamCursor = { after: 41, calls: [{ id: 'run~1/model.2', attempt: 3, chars: 120 }, { id: 'b', attempt: 1, chars: 5 }] };
    assert.deepEqual(parseCursor(formatCursor(cursor)), cursor);
    assert.deepEqual(parseCursor('7'), { after: 7, calls: [] });
    assert.deepEqual(parseCursor('-1'), { after: -1, calls: [] });
    for (const bad of ['', 'x', '1~', '1~a.1', '1~a.b.c', '1.5']) assert.equal(parseCursor(bad), undefined, bad);
  });
});
