/**
 * Runs read from the run store: with every worker stopped, a finished run reads whole (its output,
 * its events, its event stream) and a waiting run reads as it stands, at once and without a single
 * worker query; lists come from the store; a run the store lacks is read through Temporal once and
 * written (back-fill); a Parallel branch's end reaches the store while the other branch still runs.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { Parallel } from '../../src/definitions/primitives.ts';
import { Step } from '../../src/definitions/step.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Engine } from '../../src/engine/engine.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { waitUntil } from '../support/wait.ts';
import { RUN_READ_EVENT_BYTES } from '../../src/engine/output-events.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import type { RunningWorker } from '../../src/worker/create-worker.ts';
import { storedEvents } from './support/store-holds-run.ts';

const approval = new Workflow({
  name: 'Read Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input: StepInput) => `draft of ${input.input}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, confirmationMessage: 'Publish this draft?', executor: (input: StepInput) => `published ${input.previousStepContent}` }),
  ],
});

/** Set to let the slow branch finish. */
let slowMayFinish = false;
const branches = new Workflow({
  name: 'Uneven Branches',
  steps: [
    new Parallel(
      'Gather',
      new Step({ name: 'Fast', executor: () => 'fast done' }),
      new Step({
        name: 'Slow',
        executor: async () => {
          await waitUntil('the test to let the slow branch finish', () => slowMayFinish, { timeoutMs: 60_000, intervalMs: 20 }).catch((err: Error) => {
            throw ApplicationFailure.nonRetryable(err.message);
          });
          return 'slow done';
        },
      }),
    ),
  ],
});

let h: Harness;
let worker: RunningWorker;

before(async () => {
  h = await startHarness();
  worker = await h.startWorker([contentCreationWorkflow, approval, branches]);
  h.openai.setHandler(contentCreationReply);
});
after(async () => {
  await h?.close();
});

const queriesSent = () => [...h.temporalCalls.queries.values()].reduce((sum, n) => sum + n, 0);

describe('reads from the run store', { timeout: 120_000 }, () => {
  it("writes a Parallel branch's end while the other branch still runs", async () => {
    slowMayFinish = false;
    const run = await branches.arun({ input: 'go', background: true, engine: h.engine });
    const fastEnd = await waitUntil('the fast branch to end in the store', async () => {
      const events = await storedEvents(h.runStore, run.run_id);
      return events.find((event) => event.event === 'StepCompleted' && event.step_name === 'Fast');
    });
    assert.ok(fastEnd, 'the fast branch ended');
    assert.ok(!(await storedEvents(h.runStore, run.run_id)).some((event) => event.event === 'StepCompleted' && event.step_name === 'Slow'), 'the slow branch is still running');
    // Read from the store while the run runs: its output shows the fast branch's end, no query asked.
    const queries = queriesSent();
    const running = await h.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    assert.equal(running?.status, 'RUNNING');
    assert.ok(running?.events?.some((event) => event.event_index === fastEnd.event_index));
    assert.equal(queriesSent(), queries, 'no worker query for a running run the store holds');
    slowMayFinish = true;
    const done = await h.engine.waitForRun(run.run_id);
    assert.equal(done.status, 'COMPLETED', done.error);
  });

  it('lists runs from the store, the run just started among them, and reads a waiting run with its worker stopped', async () => {
    const runWorker = await h.startWorker([approval], { taskQueue: `${h.taskQueue}-approval` });
    const engine = h.engineFor(`${h.taskQueue}-approval`);
    const run = await approval.arun({ input: 'a post', background: true, engine });
    const listed = await engine.listRuns({ definitionId: approval.id });
    assert.ok(listed.some((summary) => summary.run_id === run.run_id), 'listed at once: the start wrote its row');
    await waitUntil('the run to wait for a person, in the store', async () => (await h.runStore.getRun(run.run_id))?.status === 'PAUSED');
    await runWorker.shutdown();

    const queries = queriesSent();
    const paused = await engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    assert.equal(paused?.status, 'PAUSED');
    assert.equal(paused?.events?.at(-1)?.event, 'WorkflowPaused');
    assert.deepEqual(paused?.events, await storedEvents(h.runStore, run.run_id), 'every event the run made, from the store');
    // Following it: the stored log at once, then the stream waits for more (none come with no worker).
    const follow = new AbortController();
    const streamed: number[] = [];
    const following = (async () => {
      for await (const page of engine.readEventLog(run.run_id, { signal: follow.signal })) streamed.push(...page.map((event) => event.event_index));
    })().catch((err: unknown) => {
      if (!follow.signal.aborted) throw err;
    });
    await waitUntil('the follower to get the stored log', () => streamed.length === paused!.events!.length);
    follow.abort();
    await following;
    const [summary] = (await engine.listRuns({ definitionId: approval.id })).filter((listedRun) => listedRun.run_id === run.run_id);
    assert.equal(summary?.status, 'PAUSED');
    assert.equal(queriesSent(), queries, 'no worker query');
    await engine.cancel(run.run_id);
  });

  it('back-fills the runs that ended before the store, once: then they are listed and read from the store', async () => {
    // Its worker writes to a store of its own: the harness's store has never heard of the run.
    const storeless = new Engine({ client: h.engine.client, taskQueue: `${h.taskQueue}-storeless` });
    const elsewhere = await mkdtemp(join(tmpdir(), 'other-run-store-'));
    await h.startWorker([contentCreationWorkflow], { taskQueue: `${h.taskQueue}-storeless`, env: { ...h.env, RUN_STORE_PATH: join(elsewhere, 'run-store.sqlite') } });
    const [read, run] = await Promise.all([1, 2].map(() => contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: storeless })));
    for (const started of [read!, run!]) assert.equal((await storeless.waitForRun(started.run_id)).status, 'COMPLETED');
    assert.equal(await h.runStore.getRun(run!.run_id), undefined, 'not in the store');
    // A GET of such a run writes it.
    assert.equal((await h.engine.getRun(read!.run_id))?.content, CONTENT_PLAN);
    assert.equal((await h.runStore.getRun(read!.run_id))?.status, 'COMPLETED', 'written by its first read');
    assert.ok(!(await h.engine.listRuns()).some((listed) => listed.run_id === run!.run_id), 'not listed: lists come from the store');

    const lines: string[] = [];
    const report = await h.engine.backfillRunStore({ log: (line) => lines.push(line) });
    assert.deepEqual([report?.ran, report?.written, report?.failed], [true, 1, 0], lines.join('\n'));
    assert.ok(lines.some((line) => line.includes('1 written')), lines.join('\n'));
    assert.ok((await h.engine.listRuns()).some((listed) => listed.run_id === run!.run_id && listed.status === 'COMPLETED'), 'listed once back-filled');
    assert.equal((await h.engine.backfillRunStore())?.ran, false, 'done once per store');
    const row = await h.runStore.getRun(run!.run_id);
    assert.equal(row?.status, 'COMPLETED');
    assert.equal(row?.state.content, CONTENT_PLAN);
    const log = await collectEvents(storeless, run!.run_id);
    const queries = queriesSent();
    const output = await h.engine.getRun(run!.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    assert.equal(output?.content, CONTENT_PLAN);
    assert.deepEqual(output?.events, log, 'the whole log, from the store');
    assert.equal(queriesSent(), queries, 'a read once back-filled asks no worker');
  });

  it('reads a finished run whole with every worker stopped, sending no query', async () => {
    const run = await contentCreationWorkflow.arun({ input: 'AI trends in 2024', background: true, engine: h.engine });
    const done = await h.engine.waitForRun(run.run_id);
    assert.equal(done.status, 'COMPLETED', done.error);
    const stored = await storedEvents(h.runStore, run.run_id);
    await worker.shutdown();

    const queries = queriesSent();
    const output = await h.engine.getRun(run.run_id, { eventBytes: RUN_READ_EVENT_BYTES });
    assert.equal(output?.status, 'COMPLETED');
    assert.equal(output?.content, CONTENT_PLAN);
    assert.deepEqual(output?.step_results, done.step_results);
    assert.equal(output?.events?.length, stored.length, 'every event, with no worker to ask');
    assert.equal(output?.events?.at(-1)?.event, 'WorkflowCompleted');
    const streamed = await collectEvents(h.engine, run.run_id, -1, 10_000);
    assert.deepEqual(streamed, stored, 'the event stream reads the stored log to its end');
    assert.deepEqual(await collectEvents(h.engine, run.run_id, stored.at(-1)!.event_index, 10_000), [], 'a reader resuming at the end gets nothing more');
    assert.equal(queriesSent(), queries, 'no worker query');
  });
});
