/**
 * Records the histories under test/histories/ that the replay test replays. Run it again only
 * when a deliberate, patched change to workflow code needs new recordings, or to add one:
 *
 *   node test/replay/record-histories.ts            # every recording
 *   node test/replay/record-histories.ts held ...   # only these (by file name, without .json)
 */
import { fileURLToPath } from 'node:url';
import type { SignalDefinition } from '@temporalio/common';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { continueSignal, retrySignal } from '../../src/contracts/run-workflow-api.ts';
import { RunConflictError } from '../../src/engine/errors.ts';
import { fetchRunHistory, saveHistory } from '../../src/replay/replay.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { historyOf, lastWorkflowTaskBeforeFailure, resetRun } from '../support/operator-reset.ts';
import { waitUntil } from '../support/wait.ts';
import { contentCreationReply } from '../support/content-creation-script.ts';
import { broadcastTeam, held, humanTimeout, parallelTeam, primitives, retried, routeTeam, scenarioReply, slowWriter, switches, userInput } from './scenarios.ts';

const DIR = fileURLToPath(new URL('../histories/', import.meta.url));

type Save = (name: string, runId: string, executionRunId?: string) => Promise<void>;

/** Waits (with a deadline) until the run reads `status`. */
async function reach(h: Harness, runId: string, status: string): Promise<void> {
  await waitUntil(`run ${runId} to be ${status}`, async () => (await h.engine.getRun(runId))?.status === status, { timeoutMs: 60_000 });
}

async function completed(h: Harness, runId: string): Promise<void> {
  const done = await h.engine.waitForRun(runId);
  if (done.status !== 'COMPLETED') throw new Error(`run ${runId} ended ${done.status}: ${done.error}`);
}

/**
 * Sends a signal as the engine answered runs before it sent updates: the recordings made so keep
 * the signal handlers covered, for runs in flight that were answered by signal (or by hand).
 */
async function signal<Args extends unknown[]>(h: Harness, runId: string, definition: SignalDefinition<Args>, ...args: Args): Promise<void> {
  await h.engine.client.workflow.getHandle(runId).signal(definition, ...args);
}

/** A racing caller whose answer or retry was not taken: expected, anything else is not. */
function refusedOnly(err: unknown): void {
  if (!(err instanceof RunConflictError)) throw err;
}

/** Each recording: runs its scenario and saves the histories it names. */
const RECORDINGS: Record<string, (h: Harness, save: Save) => Promise<void>> = {
  async 'content-creation'(h, save) {
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', engine: h.engine });
    await save('content-creation', run.run_id);
  },
  async 'team-parallel-tools'(h, save) {
    const run = await parallelTeam.arun({ input: 'Oslo?', engine: h.engine });
    await save('team-parallel-tools', run.run_id);
  },
  async cancelled(h, save) {
    const slow = await slowWriter.arun({ input: 'go', engine: h.engine, background: true, timeouts: { heartbeatTimeoutMs: 2000 } });
    // Cancelled mid-answer: the model's text arrives live (the log has it only once the call returns).
    for await (const event of slowWriter.streamRun(slow.run_id, { engine: h.engine })) if (event.event === 'RunContent') break;
    await h.engine.cancel(slow.run_id);
    await h.engine.waitForRun(slow.run_id);
    await save('cancelled', slow.run_id);
  },
  // Records retried-failed-attempt.json too: the first execution of the same run.
  async retried(h, save) {
    switches.broken = true;
    const failed = await retried.arun({ input: 'post it', engine: h.engine });
    const firstExecution = (await h.engine.client.workflow.getHandle(failed.run_id).describe()).runId;
    switches.broken = false;
    await h.engine.retryRun(failed.run_id);
    await waitUntil(`the retry of ${failed.run_id} to complete`, async () => (await h.engine.waitForRun(failed.run_id)).status === 'COMPLETED', { timeoutMs: 60_000 });
    await save('retried-failed-attempt', failed.run_id, firstExecution);
    await save('retried', failed.run_id);
  },
  async 'primitives-and-human-input'(h, save) {
    const mixed = await primitives.arun({ input: 'go', engine: h.engine, background: true });
    await reach(h, mixed.run_id, 'PAUSED');
    await signal(h, mixed.run_id, continueSignal, [{ step_id: 'approve', confirmed: true }]);
    await completed(h, mixed.run_id);
    await save('primitives-and-human-input', mixed.run_id);
  },
  async 'held-then-retried'(h, save) {
    switches.broken = true;
    const run = await held.arun({ input: 'post it', engine: h.engine, background: true });
    await reach(h, run.run_id, 'PAUSED');
    switches.broken = false;
    await signal(h, run.run_id, retrySignal);
    await completed(h, run.run_id);
    await save('held-then-retried', run.run_id);
  },
  // As the engine retries a held run now: by update; the racing retries it refuses leave no trace.
  async 'held-retried-by-update'(h, save) {
    switches.broken = true;
    const run = await held.arun({ input: 'post it', engine: h.engine, background: true });
    await reach(h, run.run_id, 'PAUSED');
    switches.broken = false;
    await Promise.all([1, 2, 3].map(() => h.engine.retryRun(run.run_id).catch(refusedOnly)));
    await completed(h, run.run_id);
    await save('held-retried-by-update', run.run_id);
  },
  async 'human-timeout'(h, save) {
    const run = await humanTimeout.arun({ input: 'the plan', engine: h.engine });
    if (run.status !== 'COMPLETED') throw new Error(`human-timeout ended ${run.status}: ${run.error}`);
    await save('human-timeout', run.run_id);
  },
  async 'user-input'(h, save) {
    const run = await userInput.arun({ input: 'weather', engine: h.engine, background: true });
    await reach(h, run.run_id, 'PAUSED');
    await signal(h, run.run_id, continueSignal, [{ step_id: 'ask', user_input: { city: 'Oslo' } }]);
    await completed(h, run.run_id);
    await save('user-input', run.run_id);
  },
  // As the engine answers now: by update, one of three racing answers taken.
  async 'answered-by-update'(h, save) {
    const run = await userInput.arun({ input: 'weather', engine: h.engine, background: true });
    await reach(h, run.run_id, 'PAUSED');
    await Promise.all(['Oslo', 'Bergen', 'Tromsø'].map((city) => h.engine.continueRun(run.run_id, [{ step_id: 'ask', user_input: { city } }]).catch(refusedOnly)));
    await completed(h, run.run_id);
    await save('answered-by-update', run.run_id);
  },
  async 'team-route'(h, save) {
    const run = await routeTeam.arun({ input: 'A line, please', engine: h.engine });
    if (run.status !== 'COMPLETED') throw new Error(`team-route ended ${run.status}: ${run.error}`);
    await save('team-route', run.run_id);
  },
  // An operator's reset (as the Web UI does it) to the workflow task that scheduled the failed call.
  async reset(h, save) {
    switches.broken = true;
    const failed = await retried.arun({ input: 'post it', engine: h.engine });
    switches.broken = false;
    const { client } = h.engine;
    await resetRun(client, failed.run_id, lastWorkflowTaskBeforeFailure(await historyOf(client, failed.run_id)), 'redo the failed call');
    await completed(h, failed.run_id);
    await save('reset', failed.run_id);
  },
  async 'team-broadcast'(h, save) {
    const run = await broadcastTeam.arun({ input: 'Is this line good?', engine: h.engine });
    if (run.status !== 'COMPLETED') throw new Error(`team-broadcast ended ${run.status}: ${run.error}`);
    await save('team-broadcast', run.run_id);
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in RECORDINGS));
if (unknown.length > 0) throw new Error(`No recording named ${unknown.join(', ')}; there are: ${Object.keys(RECORDINGS).join(', ')}.`);

const h = await startHarness();
try {
  await h.startWorker([contentCreationWorkflow, parallelTeam, slowWriter, retried, primitives, held, humanTimeout, userInput, routeTeam, broadcastTeam]);
  h.openai.setHandler((req) => (req.system.includes('Research tech topics') || req.toolNames.includes('get_current_stock_price') || req.toolNames.includes('get_top_hackernews_stories') || req.system.includes('Plan a content') ? contentCreationReply(req) : scenarioReply(req)));
  const save: Save = async (name, runId, executionRunId) => {
    await saveHistory(`${DIR}${name}.json`, await fetchRunHistory(h.engine.client, runId, executionRunId));
    console.log(`recorded ${name}`);
  };
  for (const [name, record] of Object.entries(RECORDINGS)) if (wanted.length === 0 || wanted.includes(name)) await record(h, save);
} finally {
  await h.close();
}
