/**
 * A run whose archived log segment is lost (deleted from the blob store after the run moved on to
 * a new execution): its event stream ends at once with an `error` frame naming the events that are
 * missing, instead of waiting forever as if a worker were restarting; the client library stops
 * with that error; a read of the run says why its events are cut.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DurableAgentsClient, StreamFailedError } from '../../src/client/client.ts';
import { runPrefix } from '../../src/data-plane/blob-keys.ts';
import { LocalBlobStore } from '../../src/data-plane/local-blob-store.ts';
import { Loop } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { startApiHarness } from '../support/api-harness.ts';
import type { ApiHarness } from '../support/api-harness.ts';
import { readFrames } from '../support/http.ts';
import { withDeadline } from '../support/wait.ts';
import { useLocalDataDir } from '../support/local-data-dir.ts';
import type { LocalDataDir } from '../support/local-data-dir.ts';

const count = new Step({ name: 'Count', executor: (input: StepInput) => String(Number(input.previousStepContent ?? input.input) + 1) });
const counter = new Workflow({ name: 'Long Counter', steps: [new Loop({ name: 'Repeat', maxIterations: 30, steps: [count] })] });
/** Small enough that the run continues as new, archiving its log, several times. */
const BUDGET = { events: 120 };

describe('a run whose archived log segment is lost', () => {
  let h: ApiHarness;
  let data: LocalDataDir;
  let runId: string;
  let lost: string[];

  before(async () => {
    data = await useLocalDataDir('lost-segment');
    h = await startApiHarness([counter]);
    const { output } = await h.engine.startRun(counter.toPlan(), { input: '0', historyBudget: BUDGET });
    runId = output.run_id;
    const done = await withDeadline('the counting run', h.engine.waitForRun(runId), 120_000);
    assert.equal(done.status, 'COMPLETED', done.error);
    const blobs = new LocalBlobStore(join(data.dir, 'blobs'));
    const segments: string[] = [];
    for await (const blob of blobs.list(`${runPrefix('default', runId)}log_`)) segments.push(blob.key);
    assert.ok(segments.length > 0, 'the run archived its log');
    // The first one: the log is lost from its start.
    const first = segments.find((key) => /\/log_0-\d+$/.test(key));
    assert.ok(first, `a segment from event 0 among ${segments.join(', ')}`);
    await blobs.delete(first);
    lost = [first];
    // The run store holds the whole log: a run it lacks (one that ended before it) is read through Temporal and its segments.
    await h.runStore.deleteRun(runId);
  });
  after(async () => {
    await h?.close();
    await data?.restore();
  });

  const missing = () => new RegExp(`Events 0-\\d+ of this run \\(${lost[0]!.replace(/[.]/g, '\\.')}\\) are missing from the blob store`);

  it('its event stream ends with an error frame naming the missing events', async () => {
    const response = await fetch(`${h.api.url}/workflows/${counter.id}/runs/${runId}/events`);
    assert.equal(response.status, 200);
    const { frames } = await readFrames(response, Infinity, 60_000);
    assert.deepEqual(frames.map((frame) => frame.event), ['error']);
    const error = JSON.parse(frames[0]!.data) as { event: string; run_id: string; error: string };
    assert.equal(error.event, 'error');
    assert.equal(error.run_id, runId);
    assert.match(error.error, missing());
    assert.equal(frames[0]!.id, undefined, 'the error frame leaves the cursor where it was');
  });

  it('the client library stops with that error instead of reconnecting', async () => {
    const client = new DurableAgentsClient({ baseUrl: h.api.url });
    const read = async () => {
      for await (const _event of client.events(counter.id, runId)) assert.fail('no event can be read');
    };
    await withDeadline('the client to stop', assert.rejects(read(), (err) => err instanceof StreamFailedError && missing().test(err.message)), 60_000);
  });

  it('a read of the run says why its events are cut', async () => {
    const run = (await (await fetch(`${h.api.url}/workflows/${counter.id}/runs/${runId}`)).json()) as Record<string, unknown>;
    assert.equal(run.status, 'COMPLETED');
    assert.deepEqual(run.events, []);
    assert.equal(run.events_truncated, true);
    assert.match(String(run.events_truncated_reason), /could not be read past event_index -1/);
    assert.match(String(run.events_truncated_reason), missing());
  });
});
