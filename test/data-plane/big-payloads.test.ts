/**
 * Big payloads end to end, through each blob store: a function step returning 20 MB and a tool
 * returning 10 MB complete, their events and content are readable, and the run's Temporal
 * history stays small (claims, not bytes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { collectEvents } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { blobStoresUnderTest, MB, textOf, useHarnessOn } from './support/blob-stores.ts';


const bigStep = new Workflow({ name: 'Big Step', steps: [new Step({ name: 'Produce', executor: (input) => textOf(20 * MB, input.input) })] });
const bigReport = defineTool({
  name: 'big_report',
  description: 'A 10 MB report',
  parameters: { type: 'object', properties: {} },
  execute: () => textOf(10 * MB, 'report'),
  maxOutputBytes: 16 * MB,
});
const writer = new Workflow({
  name: 'Long Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
const reader = new Workflow({
  name: 'Report Reader',
  steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [bigReport] }) })],
});

/** Bytes of a run's history as Temporal stores it (every event, encoded). */
async function historyBytes(h: Harness, runId: string): Promise<number> {
  const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
  return (history.events ?? []).reduce((sum, event) => sum + proto.temporal.api.history.v1.HistoryEvent.encode(event).finish().byteLength, 0);
}


for (const driver of blobStoresUnderTest('big-payloads')) {
  describe(`big payloads through the ${driver.name} blob store`, () => {
    const harness = useHarnessOn(driver, [bigStep, reader, writer]);

    it('a function step returning 20 MB completes; its events, content and blobs are there; history stays under 2 MB', async () => {
      const started = Date.now();
      const output = await withDeadline('the 20 MB run', bigStep.arun({ input: 'twenty', engine: harness().engine }), 120_000);
      const ran = Date.now() - started;
      assert.equal(output.status, 'COMPLETED', output.error);
      const expected = textOf(20 * MB, 'twenty');
      assert.ok(output.content === expected, `content of ${output.content?.length} characters`);

      const events = await collectEvents(harness().engine, output.run_id, -1, 120_000);
      console.log(`${driver.name}: a 20 MB step's run took ${ran} ms; reading its events ${Date.now() - started - ran} ms`);
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      assert.deepEqual(events.map((event) => event.event_index), events.map((_, i) => i), 'gapless event indexes');
      const completed = events.find((event) => event.event === 'StepCompleted') as { content?: string } | undefined;
      assert.ok(completed?.content === expected, 'StepCompleted carries the whole content');

      const again = await harness().engine.getRun(output.run_id);
      assert.ok(again?.content === expected, 'GET returns the whole content');

      const bytes = await historyBytes(harness(), output.run_id);
      console.log(`${driver.name}: history of a run with a 20 MB step: ${bytes.toLocaleString('en-US')} bytes`);
      assert.ok(bytes <= 2 * MB, `history of ${bytes} bytes`);

      const blobs = openBlobStore(dataPlaneConfigFromEnv({ ...process.env }));
      let stored = 0;
      for await (const blob of blobs.list(runPrefix('default', output.run_id))) stored += blob.size;
      assert.ok(stored >= 20 * MB, `${stored} bytes stored for the run`);
    });

    it('an agent whose tool returns 10 MB (cap raised) completes, and the model receives the 10 MB', async () => {
      harness().openai.reset();
      harness().openai.enqueue({ kind: 'tool_calls', calls: [{ name: 'big_report', arguments: {} }] }, { kind: 'text', text: 'Read it all.' });
      const output = await withDeadline('the 10 MB tool run', reader.arun({ input: 'Read the report', engine: harness().engine }), 120_000);
      assert.equal(output.status, 'COMPLETED', output.error);
      assert.equal(output.content, 'Read it all.');
      assert.equal(harness().openai.requests.length, 2);
      const delivered = harness().openai.requests[1]!.toolResults[0]?.output ?? '';
      assert.equal(delivered.length, 10 * MB);
      assert.ok(delivered === textOf(10 * MB, 'report'), 'the model got the report unchanged');
      const events = await collectEvents(harness().engine, output.run_id, -1, 120_000);
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      const bytes = await historyBytes(harness(), output.run_id);
      console.log(`${driver.name}: history of a run with a 10 MB tool output: ${bytes.toLocaleString('en-US')} bytes`);
      assert.ok(bytes <= 2 * MB, `history of ${bytes} bytes`);
    });

    it('a model reply of 3 MB completes, streamed and whole', async () => {
      harness().openai.reset();
      const reply = textOf(3 * MB, 'reply');
      harness().openai.enqueue({ kind: 'text', text: reply, chunks: [reply.slice(0, 1.5 * MB), reply.slice(1.5 * MB)] });
      const output = await withDeadline('the 3 MB reply run', writer.arun({ input: 'Write at length', engine: harness().engine }), 120_000);
      assert.equal(output.status, 'COMPLETED', output.error);
      assert.ok(output.content === reply, `content of ${output.content?.length} characters`);
      const events = await collectEvents(harness().engine, output.run_id, -1, 120_000);
      assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
      const streamed = events.filter((event) => event.event === 'RunContent').map((event) => (event as { content?: string }).content ?? '').join('');
      assert.ok(streamed === reply, `streamed ${streamed.length} characters`);
      assert.equal(harness().openai.requests.length, 1, 'the model was called once');
    });
  });
}
