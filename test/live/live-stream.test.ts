/**
 * The live lane in one process (the in-memory lane, as `npm start` runs): SSE clients, the
 * TypeScript client and `workflow.arunStream` get tokens live; a client that drops mid-answer and
 * comes back (EventSource's `Last-Event-ID`, `/resume` with an SSE id as `last_event_index`) gets
 * exactly the text it lacks; a model call retried mid-answer is discarded and replaced cleanly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { isLogEvent } from '../../src/contracts/live.ts';
import type { StreamedEvent } from '../../src/contracts/live.ts';
import { setDefaultEngine } from '../../src/engine/engine.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { collectEvents } from '../support/harness.ts';
import { postForm, readFrames } from '../support/http.ts';
import { collectWithin } from '../support/wait.ts';
import { callerOf, CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { StreamReader } from './support/stream-reader.ts';

const WF = 'content-creation-workflow';
let h: ApiHarness;

before(async () => {
  h = await startApiHarness([contentCreationWorkflow]);
  setDefaultEngine(h.engine);
});
after(() => h?.close());

const runsUrl = () => `${h.api.url}/workflows/${WF}/runs`;
const isPlannerText = (event: StreamedEvent) => !isLogEvent(event) && event.event === 'RunContent' && event.agent_name === 'Content Planner';

async function startRun(): Promise<string> {
  const response = await postForm(runsUrl(), { message: 'AI trends in 2024', stream: 'false', background: 'true' });
  return ((await response.json()) as { run_id: string }).run_id;
}

/** Text per model call as a client shows it: discards drop what came before. */
function textOf(events: readonly StreamedEvent[], text = new Map<string, string>()): Map<string, string> {
  for (const event of events) {
    if ((event.event === 'RunContent' || event.event === 'TeamRunContent') && event.model_call_id) text.set(event.model_call_id, (text.get(event.model_call_id) ?? '') + event.content);
    if (event.event === 'RunContentDiscarded' || event.event === 'TeamRunContentDiscarded') text.delete(event.model_call_id);
  }
  return text;
}

describe('live lane in one process', () => {
  it('a client that drops mid-answer and reconnects has the same text as one that stayed, and as the log', async () => {
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 60 } : contentCreationReply(req)));
    const runId = await startRun();
    const events = `${runsUrl()}/${runId}/events`;
    const steady = new StreamReader();
    const steadyDone = steady.read(events);
    // The other client drops three times mid-answer, reconnecting with the id of its last frame.
    const moving = new StreamReader();
    for (const stopAt of [2, 5, 9]) {
      let planner = 0;
      await moving.read(events, { stop: (event) => isPlannerText(event) && ++planner === stopAt });
    }
    assert.match(moving.lastId ?? '', /~/, 'a live frame id carries the live position');
    await moving.read(events);
    await steadyDone;
    const log = await collectEvents(h.engine, runId);
    assert.deepEqual(steady.text, StreamReader.textOfLog(log));
    assert.deepEqual(moving.text, StreamReader.textOfLog(log));
    assert.deepEqual(moving.log.map((e) => e.event_index), log.map((e) => e.event_index), 'every log event once');
    assert.ok(steady.live.filter(isPlannerText).length >= 20, 'the planner streamed live');
  });

  it('the TypeScript client, arunStream and /resume with a frame id as last_event_index give the same text', async () => {
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 20 } : contentCreationReply(req)));
    const streamed = await collectWithin('arunStream', () => contentCreationWorkflow.arunStream({ input: 'AI trends in 2024' }));
    assert.ok(streamed.some((event) => !isLogEvent(event)), 'arunStream streams live');
    const runId = streamed[0]!.run_id;
    const log = await collectEvents(h.engine, runId);
    assert.deepEqual(textOf(streamed), StreamReader.textOfLog(log));

    const client = new DurableAgentsClient({ baseUrl: h.api.url });
    const runId2 = await startRun();
    const viaClient = await collectWithin('the client stream', (signal) => client.events(WF, runId2, { signal }));
    assert.ok(viaClient.some((event) => !isLogEvent(event)), 'the client streams live');
    const log2 = await collectEvents(h.engine, runId2);
    assert.deepEqual(textOf(viaClient), StreamReader.textOfLog(log2));

    // /resume (AgentOS's route) takes the id of the last frame as last_event_index: the rest, exactly.
    h.openai.setHandler((req) => (callerOf(req) === 'planner' ? { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 60 } : contentCreationReply(req)));
    const runId3 = await startRun();
    const dropped = new StreamReader();
    let planner = 0;
    await dropped.read(`${runsUrl()}/${runId3}/events`, { stop: (event) => isPlannerText(event) && ++planner === 4 });
    assert.match(dropped.lastId ?? '', /~/);
    const resumed = await readFrames(await postForm(`${runsUrl()}/${runId3}/resume`, { last_event_index: dropped.lastId! }));
    const log3 = await collectEvents(h.engine, runId3);
    assert.deepEqual(textOf(resumed.events, new Map(dropped.text)), StreamReader.textOfLog(log3));
  });

  it('a model call retried mid-answer: clients drop the broken attempt and get the retry, with no mixed text', async () => {
    let plannerCalls = 0;
    h.openai.setHandler((req) => {
      if (callerOf(req) !== 'planner') return contentCreationReply(req);
      plannerCalls += 1;
      // The first attempt's connection breaks after a few words; the retry answers in full.
      return plannerCalls === 1 ? { kind: 'break_stream', text: `${CONTENT_PLAN} (first try)`, afterChunks: 6 } : { kind: 'text', text: CONTENT_PLAN, chunkDelayMs: 10 };
    });
    const runId = await startRun();
    const reader = new StreamReader();
    await reader.read(`${runsUrl()}/${runId}/events`);
    assert.equal(plannerCalls, 2);
    assert.ok(reader.discards >= 1, 'the broken attempt was discarded');
    const discard = reader.live.find((event) => event.event === 'RunContentDiscarded');
    assert.ok(discard && discard.event === 'RunContentDiscarded' && discard.discarded_length > 0 && discard.model_call_attempt === 1);
    const log = await collectEvents(h.engine, runId);
    assert.deepEqual(reader.text, StreamReader.textOfLog(log));
    assert.equal([...reader.text.values()].at(-1), CONTENT_PLAN);
    // The log keeps the retry's text only, in the pieces it streamed live, once per model call (no signals).
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    assert.equal((history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length, 0, 'no signal while streaming');
  });
});
