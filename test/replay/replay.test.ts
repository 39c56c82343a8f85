/**
 * Recorded histories of representative runs replay against the current workflow code; a change
 * that would break runs in flight fails here. (Re-record with test/replay/record-histories.ts only
 * for deliberate changes guarded by `patched()`.)
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import type { WorkflowBundle } from '@temporalio/worker';
import { loadHistory, replayHistory } from '../../src/replay/replay.ts';
import { bundleWorkflows } from '../../src/worker/create-worker.ts';
import { installSdkRuntime } from '../../src/worker/sdk-runtime.ts';

const DIR = fileURLToPath(new URL('../histories/', import.meta.url));
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.json')).sort();
let bundle: WorkflowBundle;

// The deliberate non-determinism below makes the SDK warn; the assertion covers it.
installSdkRuntime('ERROR');

before(async () => {
  bundle = await bundleWorkflows();
});

describe('recorded histories', () => {
  it('cover the representative runs', () => {
    assert.deepEqual(FILES, [
      'answered-by-update.json',
      'cancelled.json',
      'content-creation.json',
      'held-retried-by-update.json',
      'held-then-retried.json',
      'human-timeout.json',
      'primitives-and-human-input.json',
      'reset.json',
      'retried-failed-attempt.json',
      'retried.json',
      'team-broadcast.json',
      'team-parallel-tools.json',
      'team-route.json',
      'user-input.json',
    ]);
  });

  for (const file of FILES) {
    it(`replay: ${file}`, async () => {
      const history = await loadHistory(`${DIR}${file}`);
      assert.ok((history.events?.length ?? 0) > 10);
      const outcome = await replayHistory(history, { workflowBundle: bundle });
      assert.equal(outcome.ok, true, outcome.error?.message);
    });
  }

  it('catch a non-deterministic change', async () => {
    const history = await loadHistory(`${DIR}content-creation.json`);
    const outcome = await replayHistory(history, { workflowsPath: fileURLToPath(new URL('./changed-workflow.ts', import.meta.url)) });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.nondeterministic, true, outcome.error?.message);
    assert.match(outcome.error?.message ?? '', /[Nn]ondetermin/);
  });
});
