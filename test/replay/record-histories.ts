/**
 * Records the histories under test/histories/ that the replay test replays. Run it again only
 * when a deliberate, patched change to workflow code needs new recordings:
 *
 *   node test/replay/record-histories.ts
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { fetchRunHistory, saveHistory } from '../../src/replay/replay.ts';
import { startHarness } from '../support/harness.ts';
import { contentCreationReply } from '../support/content-creation-script.ts';
import { parallelTeam, primitives, retried, scenarioReply, slowWriter, switches } from './scenarios.ts';

const DIR = fileURLToPath(new URL('../histories/', import.meta.url));
const h = await startHarness();
try {
  await h.startWorker([contentCreationWorkflow, parallelTeam, slowWriter, retried, primitives]);
  h.openai.setHandler((req) => (req.system.includes('Research tech topics') || req.toolNames.includes('get_current_stock_price') || req.toolNames.includes('get_top_hackernews_stories') || req.system.includes('Plan a content') ? contentCreationReply(req) : scenarioReply(req)));

  const save = async (name: string, runId: string, executionRunId?: string) => {
    await saveHistory(`${DIR}${name}.json`, await fetchRunHistory(h.engine.client, runId, executionRunId));
    console.log(`recorded ${name}`);
  };

  const content = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', engine: h.engine });
  await save('content-creation', content.run_id);

  const team = await parallelTeam.arun({ input: 'Oslo?', engine: h.engine });
  await save('team-parallel-tools', team.run_id);

  const slow = await slowWriter.arun({ input: 'go', engine: h.engine, background: true, timeouts: { heartbeatTimeoutMs: 2000 } });
  for await (const event of h.engine.streamEvents(slow.run_id)) if (event.event === 'RunContent') break;
  await h.engine.cancel(slow.run_id);
  await h.engine.waitForRun(slow.run_id);
  await save('cancelled', slow.run_id);

  switches.broken = true;
  const failed = await retried.arun({ input: 'post it', engine: h.engine });
  const firstExecution = (await h.engine.client.workflow.getHandle(failed.run_id).describe()).runId;
  switches.broken = false;
  await h.engine.retryRun(failed.run_id);
  while ((await h.engine.waitForRun(failed.run_id)).status !== 'COMPLETED') await delay(100);
  await save('retried-failed-attempt', failed.run_id, firstExecution);
  await save('retried', failed.run_id);

  const mixed = await primitives.arun({ input: 'go', engine: h.engine, background: true });
  while ((await h.engine.getRun(mixed.run_id))?.status !== 'PAUSED') await delay(100);
  await h.engine.continueRun(mixed.run_id, [{ step_id: 'approve', confirmed: true }]);
  const done = await h.engine.waitForRun(mixed.run_id);
  if (done.status !== 'COMPLETED') throw new Error(`primitives run ended ${done.status}: ${done.error}`);
  await save('primitives-and-human-input', mixed.run_id);
} finally {
  await h.close();
}
