/**
 * `npm run replay -- <run_id>... [--save DIR]` or `npm run replay -- --file history.json...`:
 * downloads runs' histories (every execution of each run id: retries included) from Temporal
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE) and replays them against the current workflow code.
 * Replays every history given and exits 1 at the end if any no longer replays, naming each determinism error.
 * Payloads a history holds as claims are read from the blob store of the environment (BLOB_STORE, ...).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dataPlaneConfigFromEnv } from '../data-plane/config.ts';
import { createDataConverter } from '../data-plane/data-converter.ts';
import { Engine } from '../engine/engine.ts';
import { fetchRunHistory, loadHistory, replayHistory, saveHistory } from '../replay/replay.ts';
import type { History } from '../replay/replay.ts';
import { bundleWorkflows } from '../worker/create-worker.ts';
import { installSdkRuntime } from '../worker/sdk-runtime.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { save: { type: 'string' }, file: { type: 'string', multiple: true } } });
if (positionals.length === 0 && !values.file?.length) {
  console.error('usage: npm run replay -- <run_id>... [--save DIR]   |   npm run replay -- --file history.json...');
  process.exit(2);
}
installSdkRuntime();
const histories: { name: string; history: History }[] = [];
for (const file of values.file ?? []) histories.push({ name: file, history: await loadHistory(file) });
if (positionals.length > 0) {
  const engine = await Engine.connect();
  for (const runId of positionals) {
    let n = 0;
    for await (const execution of engine.client.workflow.list({ query: `WorkflowId = '${runId.replace(/'/g, '')}'` })) {
      const history = await fetchRunHistory(engine.client, runId, execution.runId);
      const name = `${runId} (execution ${execution.runId})`;
      histories.push({ name, history });
      if (values.save) await saveHistory(join(values.save, `${runId}-${n++}.json`), history);
    }
  }
  await engine.close();
}
const workflowBundle = await bundleWorkflows();
const dataConverter = createDataConverter(dataPlaneConfigFromEnv());
let failed = false;
for (const { name, history } of histories) {
  const outcome = await replayHistory(history, { workflowBundle, dataConverter });
  if (outcome.ok) console.log(`ok        ${name} (${history.events?.length ?? 0} events)`);
  else {
    failed = true;
    console.log(`${outcome.nondeterministic ? 'NONDETERMINISTIC' : 'FAILED'}  ${name}: ${outcome.error?.message}`);
  }
}
process.exit(failed ? 1 : 0);
