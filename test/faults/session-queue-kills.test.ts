/**
 * SIGKILL of the API and the worker processes while every session has a live run and nine runs
 * queued behind it: afterwards every queued run runs, once, and each session's runs run in the
 * order they were submitted (each starts, by Temporal's own clock, after the one before it closed).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DurableAgentsClient } from '../../src/client/client.ts';
import { freePort } from '../../src/dev-server/temporal-cli.ts';
import { startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, killProcess, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';

const WF = 'content-creation-workflow';
const SESSIONS = 6;
const RUNS_PER_SESSION = 10;
let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await killChildren();
  await h?.close();
});

async function startApi() {
  const port = await freePort();
  const api = await startEntrypoint('server', { ...h.env, PORT: String(port), HOST: '127.0.0.1' });
  return { api, client: new DurableAgentsClient({ baseUrl: `http://127.0.0.1:${port}` }) };
}

it(`runs every queued run once, in order, after SIGKILL of the API and the worker (${SESSIONS} sessions × ${RUNS_PER_SESSION} runs)`, async () => {
  // Model calls wait until both processes were killed: each session's first run is live at the kill, the others queued.
  let killed: () => void = () => {};
  const afterKill = new Promise<void>((resolve) => (killed = resolve));
  h.openai.setHandler(async (req) => {
    await afterKill;
    return contentCreationReply(req);
  });
  const worker = await startEntrypoint('worker', h.env);
  const { api, client } = await startApi();
  const sessions = Array.from({ length: SESSIONS }, (_, s) => `kill-session-${s}-${Date.now()}`);
  const submitted = new Map<string, string[]>(sessions.map((session) => [session, []]));
  for (let i = 0; i < RUNS_PER_SESSION; i++) {
    for (const session of sessions) {
      const started = await client.startRun(WF, { message: `AI trends, ${session} part ${i}`, sessionId: session });
      submitted.get(session)!.push(started.run_id);
    }
  }
  await waitUntil('every session’s first run to be in a model call', () => h.openai.count() >= SESSIONS, { timeoutMs: 60_000 });
  const queuedAtKill = (await h.runStore.listRuns({ status: 'PENDING', limit: 1000 })).runs.length;
  assert.ok(queuedAtKill >= SESSIONS * (RUNS_PER_SESSION - 1), `${queuedAtKill} runs were queued at the kill`);
  await Promise.all([killProcess(worker.child), killProcess(api.child)]);
  killed();

  await startEntrypoint('worker', h.env);
  const { client: after } = await startApi();
  const allRuns = [...submitted.values()].flat();
  const outputs = await withDeadline(
    'every run to end',
    Promise.all(allRuns.map((runId) => waitUntil(`run ${runId} to end`, async () => {
      const run = await after.getRun(WF, runId);
      return ['COMPLETED', 'ERROR', 'CANCELLED'].includes(run.status) && run;
    }, { timeoutMs: 300_000, intervalMs: 1000 }))),
    300_000,
  );
  for (const output of outputs) {
    assert.equal(output.status, 'COMPLETED', output.error);
    assert.equal(output.content, CONTENT_PLAN);
  }
  for (const [session, runIds] of submitted) {
    let previousClose = 0;
    for (const runId of runIds) {
      let executions = 0;
      for await (const _ of h.engine.client.workflow.list({ query: `WorkflowId = '${runId}'` })) executions += 1;
      assert.equal(executions, 1, `${runId}: started once`);
      const { startTime, closeTime } = await h.engine.client.workflow.getHandle(runId).describe();
      assert.ok(startTime.getTime() >= previousClose, `${session}: run ${runId} started after the run before it ended`);
      previousClose = closeTime!.getTime();
    }
  }
});
