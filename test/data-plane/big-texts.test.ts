/**
 * Big texts by reference, through each blob store: a model reply of 5 MB (streamed), a function
 * step returning 20 MB, an agent whose tool returns 10 MB. Each run completes; its stream reaches
 * WorkflowCompleted with gapless indexes and the whole texts; the pages the workflow answers stay
 * within their byte bound (the big texts are references in them); every execution's history
 * stays within 2 MB and 10,000 events.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../src/contracts/events.ts';
import { EVENT_PAGE_BYTES, eventPageQuery } from '../../src/contracts/run-workflow-api.ts';
import { INLINE_TEXT_BYTES } from '../../src/data-plane/run-texts.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { WorkflowRunOutput } from '../../src/engine/run-output.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { splitIntoChunks } from '../fakes/openai.ts';
import { collectEvents } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { assertWithinHistoryBudget, describeSizes, executionSizes } from './support/executions.ts';
import { blobStoresUnderTest, MB, textOf, useHarnessOn } from './support/blob-stores.ts';

/** Text of exactly `bytes` ASCII bytes that differs from run to run. */
const model = new OpenAIResponses({ id: 'gpt-5.2' });

const writer = new Workflow({ name: 'Long Writer', steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model }) })] });
const producer = new Workflow({ name: 'Big Producer', steps: [new Step({ name: 'Produce', executor: (input) => textOf(20 * MB, input.input) })] });
const bigReport = defineTool({
  name: 'big_report',
  description: 'A 10 MB report',
  parameters: { type: 'object', properties: {} },
  execute: () => textOf(10 * MB, 'report'),
  maxOutputBytes: 16 * MB,
});
const reader = new Workflow({ name: 'Big Report Reader', steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model, tools: [bigReport] }) })] });


for (const store of blobStoresUnderTest('big-texts')) {
  describe(`big texts by reference through the ${store.name} blob store`, () => {
    const harness = useHarnessOn(store, [writer, producer, reader]);

    /** The run's log read to its end: gapless, complete, and answered in pages within their bound. */
    async function checkRun(output: WorkflowRunOutput, what: string): Promise<RunEvent[]> {
      assert.equal(output.status, 'COMPLETED', output.error);
      const events = await collectEvents(harness().engine, output.run_id, -1, 180_000);
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      assert.ok(events.every((event, i) => event.event_index === i), 'gapless event indexes');
      let after = -1;
      for (;;) {
        const page = await harness().engine.client.workflow.getHandle(output.run_id).query(eventPageQuery, after);
        if (page.events.length === 0) break;
        const bytes = Buffer.byteLength(JSON.stringify(page));
        assert.ok(bytes <= EVENT_PAGE_BYTES || page.events.length === 1, `a page of ${page.events.length} events and ${bytes} bytes`);
        const longest = longestString(page);
        assert.ok(longest <= INLINE_TEXT_BYTES, `the page after ${after} holds a text of ${longest} characters: big texts should be references`);
        after = page.events.at(-1)!.event_index;
      }
      const sizes = await executionSizes(harness().engine.client, output.run_id);
      console.log(`${store.name}: ${what}: ${describeSizes(sizes)}`);
      assertWithinHistoryBudget(sizes);
      return events;
    }

    it('a model reply of 5 MB, streamed, reaches the log whole', async () => {
      const text = textOf(5 * MB, 'reply');
      harness().openai.reset();
      harness().openai.enqueue({ kind: 'text', text, chunks: splitIntoChunks(text, 64 * 1024) });
      const output = await withDeadline('the 5 MB reply', writer.arun({ input: 'Write a lot.', engine: harness().engine }), 180_000);
      assert.ok(output.content === text, `content of ${output.content?.length} characters`);
      const events = await checkRun(output, 'a 5 MB reply');
      const streamed = events.flatMap((event) => (event.event === 'RunContent' ? [event.content] : [])).join('');
      assert.ok(streamed === text, `RunContent adds up to ${streamed.length} characters`);
      const completed = events.find((event) => event.event === 'RunCompleted');
      assert.ok(completed?.event === 'RunCompleted' && completed.content === text, 'RunCompleted carries the whole reply');
    });

    it('a function step returning 20 MB: its content is whole in the step, the run and GET', async () => {
      const output = await withDeadline('the 20 MB step', producer.arun({ input: 'twenty', engine: harness().engine }), 180_000);
      const expected = textOf(20 * MB, 'twenty');
      assert.ok(output.content === expected, `content of ${output.content?.length} characters`);
      assert.ok(output.step_results[0]?.content === expected, 'the step result carries the whole content');
      const events = await checkRun(output, 'a 20 MB step');
      const completed = events.find((event) => event.event === 'StepCompleted');
      assert.ok(completed?.event === 'StepCompleted' && completed.content === expected, 'StepCompleted carries the whole content');
    });

    it('an agent whose tool returns 10 MB: the model gets it whole, the stream too', async () => {
      harness().openai.reset();
      harness().openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'big_report', arguments: {} }] }, { kind: 'text', text: 'Read it all.' });
      const output = await withDeadline('the 10 MB tool run', reader.arun({ input: 'Read the report', engine: harness().engine }), 180_000);
      assert.equal(output.content, 'Read it all.');
      assert.ok(harness().openai.requests[1]!.toolResults[0]?.output === textOf(10 * MB, 'report'), 'the model got the report unchanged');
      const events = await checkRun(output, 'a 10 MB tool output');
      const tool = events.find((event) => event.event === 'ToolCallCompleted');
      assert.ok(tool?.event === 'ToolCallCompleted' && tool.content === textOf(10 * MB, 'report') && tool.tool.result === tool.content, 'ToolCallCompleted carries the whole output');
    });
  });
}

/** Length of the longest string anywhere in `value`. */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value === null || typeof value !== 'object') return 0;
  return Math.max(0, ...Object.values(value).map(longestString));
}
