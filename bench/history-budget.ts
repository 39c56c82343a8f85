/**
 * History budget: one run with N model calls (N agent steps), each streaming T tokens at R tokens
 * per second, on a real Temporal dev server. Prints the run's history length and signal count.
 *
 *   node bench/history-budget.ts [calls=10] [tokens=1000] [tokensPerSecond=100]
 */
import { Agent } from '../src/definitions/agent.ts';
import { OpenAIResponses } from '../src/definitions/models.ts';
import { Step } from '../src/definitions/step.ts';
import { Workflow } from '../src/os/workflow.ts';
import { startHarness } from '../test/support/harness.ts';

const [calls = 10, tokens = 1000, rate = 100] = process.argv.slice(2).map(Number);
const writer = new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }) });
const workflow = new Workflow({
  name: 'History Budget',
  steps: Array.from({ length: calls }, (_, i) => new Step({ name: `Write ${i + 1}`, agent: writer })),
});

const h = await startHarness();
try {
  await h.startWorker([workflow]);
  const chunks = Array.from({ length: tokens }, (_, i) => `t${i % 10} `);
  h.openai.setHandler(() => ({ kind: 'text', text: chunks.join(''), chunks, chunkDelayMs: 1000 / rate }));
  console.log(`one run: ${calls} model calls x ${tokens} tokens at ${rate} tokens/s ...`);
  const started = Date.now();
  const run = await workflow.arun({ input: 'go', engine: h.engine, background: true });
  const output = await h.engine.waitForRun(run.run_id);
  const history = await h.engine.client.workflow.getHandle(run.run_id).fetchHistory();
  const events = history.events ?? [];
  const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  console.log(
    JSON.stringify({ calls, tokens, tokensPerSecond: rate, status: output.status, historyEvents: events.length, signals, seconds: (Date.now() - started) / 1000 }),
  );
} finally {
  await h.close();
}
