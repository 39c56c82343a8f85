/**
 * Tool faults inside a run: a service answering 500 or invalid JSON reaches the model as an error
 * text, the run completes, and the tool is called once (its error is an answer, not a retry).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { Fault } from '../fakes/http-fake.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
  h.openai.setHandler(contentCreationReply);
  await h.startWorker([contentCreationWorkflow]);
});
after(async () => h?.close());
beforeEach(() => h.openai.reset());

for (const fault of ['status500', 'invalid_json'] as Fault[]) {
  it(`a Hacker News ${fault} reaches the model as text and the run completes`, async () => {
    const before = h.hackernews.count('/v0/topstories.json');
    h.hackernews.failNext('/v0/topstories.json', fault);
    const output = await contentCreationWorkflow.arun({ input: 'AI trends', engine: h.engine });
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
    assert.equal(h.hackernews.count('/v0/topstories.json') - before, 1, 'called once: the error was the answer');
    const completed = (await collectEvents(h.engine, output.run_id)).filter((e) => e.event === 'ToolCallCompleted').find((e) => e.tool.tool_name === 'get_top_hackernews_stories');
    assert.equal(completed?.tool?.tool_call_error, true);
    assert.match(String(completed?.tool?.result), fault === 'status500' ? /answered 500/ : /invalid JSON/);
    const hnAnswer = h.openai.requests.find((r) => r.toolResults.some((t) => t.output.includes('get_top_hackernews_stories failed')));
    assert.ok(hnAnswer, 'the model saw the error');
  });
}
