/**
 * A long conversation by reference: an agent making 100 tool calls of 200 KB each. The model sees
 * the whole conversation at every turn (the fake checks every tool output it gets back), yet each
 * model call's input is a few KB in history (earlier messages archived, big outputs as text
 * references), so every execution's history stays within 2 MB and 10,000 events, and the event
 * stream reaches WorkflowCompleted with gapless indexes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import { Workflow } from '../../src/os/workflow.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';
import { collectEvents } from '../support/harness.ts';
import { withDeadline } from '../support/wait.ts';
import { assertWithinHistoryBudget, describeSizes, executionSizes } from './support/executions.ts';
import { localBlobStore, useHarnessOn } from './support/blob-stores.ts';

const TURNS = 100;
const PAGE_BYTES = 200 * 1024;
/** Page `n`: 200 KB that differ from every other page. */
const pageText = (n: number) => `page ${n}:`.padEnd(PAGE_BYTES, `${n} lorem ipsum dolor sit amet `);

const readPage = defineTool<{ n: number }>({
  name: 'read_page',
  description: 'Reads one page of the archive.',
  parameters: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  execute: ({ n }) => pageText(n),
});
const reader = new Agent({ name: 'Archive Reader', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [readPage], maxTurns: TURNS + 5 });
const workflow = new Workflow({ name: 'Long Conversation', steps: [new Step({ name: 'Read Everything', agent: reader })] });

describe('an agent with 100 tool turns of 200 KB each', () => {
  const harness = useHarnessOn(localBlobStore('long-conversation'), [workflow]);

  it('completes with the whole conversation sent each turn, and small histories', { timeout: 1_200_000 }, async () => {
    const h = harness();
    const seen: { results: number; problems: string[] }[] = [];
    h.openai.setHandler((req: FakeRequest): FakeReply => {
      // Every earlier page must come back whole and in order.
      const problems = req.toolResults.flatMap((result, i) => (result.output === pageText(i + 1) ? [] : [`page ${i + 1}: ${result.output.length} characters`]));
      seen.push({ results: req.toolResults.length, problems });
      // Requests hold the whole conversation (up to 20 MB): keep none of them.
      h.openai.requests.length = 0;
      const next = req.toolResults.length + 1;
      return next <= TURNS ? { kind: 'tool_calls', calls: [{ name: 'read_page', arguments: { n: next } }] } : { kind: 'text', text: `Read ${TURNS} pages.` };
    });
    const started = Date.now();
    const output = await withDeadline('the 100-turn run', workflow.arun({ input: 'Read the whole archive.', engine: h.engine }), 900_000);
    const ms = Date.now() - started;
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, `Read ${TURNS} pages.`);
    assert.deepEqual(seen.map((s) => s.results), Array.from({ length: TURNS + 1 }, (_, i) => i));
    assert.deepEqual(seen.flatMap((s) => s.problems), []);

    const events = await collectEvents(h.engine, output.run_id, -1, 300_000);
    assert.equal(events.at(-1)?.event, 'WorkflowCompleted');
    assert.deepEqual(events.map((event) => event.event_index), events.map((_, i) => i), 'gapless event indexes');
    const outputs = events.filter((event) => event.event === 'ToolCallCompleted').map((event) => event.content);
    assert.equal(outputs.length, TURNS);
    assert.ok(outputs.every((text, i) => text === pageText(i + 1)), 'each ToolCallCompleted carries its whole page');

    const sizes = await executionSizes(h.engine.client, output.run_id);
    console.log(`100 tool turns of 200 KB: ${ms} ms; ${describeSizes(sizes)}`);
    assertWithinHistoryBudget(sizes);
  });
});
