/**
 * A workflow task that times out while clients follow the runs. Two worker processes run
 * content-creation runs; SSE clients follow every run over real HTTP (some from the start, some
 * joining while a worker is frozen, some after). The worker that holds more of the ten runs under
 * way is frozen with SIGSTOP for longer than the workflow task timeout (Temporal's default, 10 s:
 * the runs' start options do not set it), then thawed; four more runs start meanwhile. While it is
 * frozen its open long polls still take tasks (the server hands them to the polls the frozen
 * process sent), its runs' sticky tasks wait for it, and the activities it holds stall; once
 * thawed it works through tasks the server has already timed out and given to the other worker,
 * whose completions are refused. Such a task's events are in the frozen worker's memory and never
 * in history: a reader answered by a query could have shown them (the same index with another
 * `created_at` or content in the log that stays).
 *
 * Asserted: histories show workflow tasks that timed out (else the scenario did not happen, and
 * the test fails); every client got exactly the run's final log (as the run store and Temporal's
 * queries both read it after the end), index by index from 0, each event once, to the terminal
 * event; and no read of these runs sent a workflow query while they ran (the run store answers).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import type { RunEvent } from '../../src/contracts/events.ts';
import { dataPlaneConfigFromEnv, openBlobStore } from '../../src/data-plane/config.ts';
import { readEventLog } from '../../src/engine/event-reader.ts';
import { serveApi } from '../../src/server/serve.ts';
import type { ApiServer } from '../../src/server/serve.ts';
import { collectEvents, startHarness } from '../support/harness.ts';
import type { Harness } from '../support/harness.ts';
import { killChildren, startEntrypoint } from '../support/processes.ts';
import { CONTENT_PLAN, contentCreationReply } from '../support/content-creation-script.ts';
import { waitUntil, withDeadline } from '../support/wait.ts';
import { readSse } from './support/sse-client.ts';
import type { SseResult } from './support/sse-client.ts';
import { compareStream } from './support/sse-compare.ts';

const RUNS = 10;
/** Runs started while the worker is frozen: their first workflow task may go to a poll the frozen worker sent. */
const RUNS_WHILE_FROZEN = 4;
/** Clients per run that connect as the run starts; one more joins while the worker is frozen, one after. */
const CLIENTS_AT_START = 3;
/** Temporal's default workflow task timeout, which the runs' start options keep. */
const WORKFLOW_TASK_TIMEOUT_MS = 10_000;
/** How long the worker stays frozen: past the task timeout of a task it took as it froze, with room. */
const FROZEN_MS = WORKFLOW_TASK_TIMEOUT_MS + 3_000;
/** Model answers: a pause before each, then the text in chunks this far apart (the plan: a few seconds). */
const MODEL_DELAY_MS = 250;
const CHUNK_DELAY_MS = 60;
/** Run activities heartbeat; a frozen worker's calls are given to the other worker after this. */
const HEARTBEAT_TIMEOUT_MS = 2000;

/** Temporal's TimeoutType, as history numbers it. */
const TIMEOUT_TYPES: Record<number, string> = { 1: 'START_TO_CLOSE', 2: 'SCHEDULE_TO_START', 3: 'SCHEDULE_TO_CLOSE', 4: 'HEARTBEAT' };

let h: Harness;
let server: ApiServer;
let base: URL;
let workers: ChildProcess[] = [];

before(async () => {
  h = await startHarness();
  h.openai.setHandler((req) => {
    const reply = contentCreationReply(req);
    return reply.kind === 'text' ? { ...reply, delayMs: MODEL_DELAY_MS, chunkDelayMs: CHUNK_DELAY_MS } : ({ ...reply, delayMs: MODEL_DELAY_MS } as typeof reply);
  });
  workers = (await Promise.all([startEntrypoint('worker', h.env), startEntrypoint('worker', h.env)])).map((started) => started.child);
  server = await serveApi({ engine: h.engine, workflows: [contentCreationWorkflow], blobs: openBlobStore(dataPlaneConfigFromEnv(h.env)), port: 0, hostname: '127.0.0.1' });
  base = new URL(server.url);
});
after(async () => {
  // A frozen process dies of SIGKILL all the same; thaw it first anyway.
  for (const worker of workers) worker.kill('SIGCONT');
  await killChildren();
  await server?.close();
  await h?.close();
});

/** The run's log as the run store holds it (texts by reference, as stored). */
async function storedLog(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for (let more = true; more; ) {
    const page = await h.runStore.readEvents(runId, { after: events.at(-1)?.event_index ?? -1 });
    events.push(...page.events);
    more = page.more && page.events.length > 0;
  }
  return events;
}

/** The run's log as the workflow's queries answer it (no run store; texts by reference). */
async function queriedLog(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const page of readEventLog(h.engine.client, runId, { mode: 'snapshot', keepReferences: true })) events.push(...page);
  return events;
}

/** The pid of the worker that started the run's newest workflow task. */
async function lastTaskWorker(runId: string): Promise<string | undefined> {
  const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
  return history.events?.findLast((event) => event.workflowTaskStartedEventAttributes)?.workflowTaskStartedEventAttributes?.identity?.split('@')[0] ?? undefined;
}

interface TaskTimeouts {
  /** By timeout type and the worker that had started the task (its pid, or `-` for a task no worker started). */
  counts: Map<string, number>;
  runs: Set<string>;
}

/** Workflow tasks that timed out in the runs' histories. */
async function taskTimeouts(runIds: string[]): Promise<TaskTimeouts> {
  const counts = new Map<string, number>();
  const runs = new Set<string>();
  for (const runId of runIds) {
    const history = await h.engine.client.workflow.getHandle(runId).fetchHistory();
    const startedBy = new Map<string, string>();
    for (const event of history.events ?? []) {
      const started = event.workflowTaskStartedEventAttributes;
      if (started) startedBy.set(String(event.eventId), started.identity?.split('@')[0] ?? '?');
      const timedOut = event.workflowTaskTimedOutEventAttributes;
      if (!timedOut) continue;
      const key = `${TIMEOUT_TYPES[timedOut.timeoutType ?? 0] ?? timedOut.timeoutType} (worker ${startedBy.get(String(timedOut.startedEventId)) ?? '-'})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      runs.add(runId);
    }
  }
  return { counts, runs };
}

it(`shows SSE clients of ${RUNS + RUNS_WHILE_FROZEN} runs only the final log while a frozen worker's workflow tasks time out`, { timeout: 150_000 }, async (t) => {
  const began = performance.now();
  const queriesBefore = new Map(h.temporalCalls.queries);
  const follow = (runId: string) => readSse(base, `/workflows/${contentCreationWorkflow.id}/runs/${runId}/events`, { timeoutMs: 100_000 });

  const clients: { runId: string; joined: string; result: Promise<SseResult> }[] = [];
  const startRuns = (count: number, first: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const run = await contentCreationWorkflow.arun({ input: `AI trends, part ${first + i}`, engine: h.engine, background: true, timeouts: { heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS } });
        for (let c = 0; c < CLIENTS_AT_START; c++) clients.push({ runId: run.run_id, joined: 'at the start', result: follow(run.run_id) });
        return run.run_id;
      }),
    );
  const runIds = await startRuns(RUNS, 0);

  // Freeze one worker once every run is under way (both workers have runs in their caches, and tasks and calls in flight).
  await waitUntil('every run to have events in the store', async () => (await Promise.all(runIds.map((id) => h.runStore.lastEventIndex(id)))).every((last) => last >= 3), { timeoutMs: 30_000 });
  const lastAtFreeze = await Promise.all(runIds.map((id) => h.runStore.lastEventIndex(id)));
  // Freeze the worker that holds more of the runs (the one its newest workflow task went to).
  const holders = await Promise.all(runIds.map((id) => lastTaskWorker(id)));
  const held = (worker: ChildProcess) => holders.filter((pid) => pid === String(worker.pid)).length;
  const [frozen, other] = [...workers].sort((a, b) => held(b) - held(a)) as [ChildProcess, ChildProcess];
  const heldAtFreeze = `${held(frozen)} runs on the frozen worker, ${held(other)} on the other`;
  frozen.kill('SIGSTOP');
  const frozenAt = performance.now();
  try {
    await delay(1000);
    runIds.push(...(await startRuns(RUNS_WHILE_FROZEN, RUNS)));
    await delay(Math.max(0, FROZEN_MS / 2 - (performance.now() - frozenAt)));
    for (const runId of runIds) clients.push({ runId, joined: 'while the worker was frozen', result: follow(runId) });
    await delay(Math.max(0, FROZEN_MS - (performance.now() - frozenAt)));
  } finally {
    frozen.kill('SIGCONT');
  }
  const frozenMs = performance.now() - frozenAt;
  for (const runId of runIds) clients.push({ runId, joined: 'after the thaw', result: follow(runId) });

  const results = await withDeadline('every client to reach its run’s end', Promise.all(clients.map((client) => client.result)), 100_000);
  const streamedMs = performance.now() - began;
  // Every query name the reads sent while the runs ran and the clients read, with how many.
  const queriesDuring = [...h.temporalCalls.queries].map(([name, n]) => [name, n - (queriesBefore.get(name) ?? 0)] as const).filter(([, n]) => n > 0);

  const outputs = await withDeadline('every run to end', Promise.all(runIds.map((id) => h.engine.waitForRun(id))), 30_000);
  const problems: string[] = [];
  const logs = new Map<string, RunEvent[]>();
  for (const [i, runId] of runIds.entries()) {
    if (outputs[i]!.status !== 'COMPLETED') problems.push(`run ${runId} ended ${outputs[i]!.status}: ${outputs[i]!.error}`);
    // The final log three ways: the store's rows, Temporal's queries, and the engine's read (store, texts read back) that the clients got.
    const [stored, queried, read] = await Promise.all([storedLog(runId), queriedLog(runId), collectEvents(h.engine, runId, -1, 30_000)]);
    try {
      assert.deepStrictEqual(stored, queried);
    } catch {
      const at = stored.findIndex((event, j) => JSON.stringify(event) !== JSON.stringify(queried[j]));
      problems.push(`run ${runId}: the store's log (${stored.length} events) is not the one Temporal holds (${queried.length}); first difference at ${at}: ${JSON.stringify(stored[at])?.slice(0, 300)} vs ${JSON.stringify(queried[at])?.slice(0, 300)}`);
    }
    if (read.length !== stored.length || read.some((event, j) => event.event_index !== j)) problems.push(`run ${runId}: the engine read ${read.length} events, indexes ${read.map((e) => e.event_index).join(',')}`);
    if (read.at(-1)?.event !== 'WorkflowCompleted' || read.filter((e) => e.event === 'WorkflowCompleted').length !== 1) problems.push(`run ${runId}: the log ends with ${read.at(-1)?.event}`);
    const plan = read.filter((e) => e.event === 'RunContent' && e.agent_name === 'Content Planner').map((e) => (e as { content?: string }).content ?? '').join('');
    if (plan !== CONTENT_PLAN) problems.push(`run ${runId}: the planner's text in the log is not its answer`);
    logs.set(runId, read);
  }
  let frames = 0;
  for (const [i, { runId, joined }] of clients.entries()) {
    frames += results[i]!.frames.length;
    const problem = compareStream(results[i]!, logs.get(runId)!);
    if (problem) problems.push(`client ${i} (joined ${joined}) of run ${runId}: ${problem}`);
  }

  const timeouts = await taskTimeouts(runIds);
  const headersMs = results.map((r) => r.headersMs).sort((a, b) => a - b);
  const events = [...logs.values()].reduce((sum, log) => sum + log.length, 0);
  t.diagnostic(`${runIds.length} runs (${RUNS_WHILE_FROZEN} started while a worker was frozen), ${events} events, ${clients.length} SSE clients, ${frames} frames; worker pid ${frozen.pid} frozen ${(frozenMs / 1000).toFixed(1)} s (${heldAtFreeze}; the runs' newest stored events then: ${lastAtFreeze.join(', ')}), pid ${other.pid} not`);
  t.diagnostic(`workflow tasks timed out: ${[...timeouts.counts].map(([key, n]) => `${n} ${key}`).join(', ') || 'none'}, in ${timeouts.runs.size} of ${runIds.length} runs`);
  t.diagnostic(`streams done ${(streamedMs / 1000).toFixed(1)} s after the start; headers p50 ${headersMs[headersMs.length >> 1]!.toFixed(0)} ms, max ${headersMs.at(-1)!.toFixed(0)} ms; workflow queries meanwhile: ${queriesDuring.map(([name, n]) => `${name} ${n}`).join(', ') || 'none'}; problems ${problems.length}`);

  // The scenario happened: some workflow task outlived its timeout.
  assert.ok(timeouts.runs.size > 0, 'no workflow task timed out: the frozen worker held none, so nothing was tested');
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  assert.deepEqual(queriesDuring, [], 'workflow queries sent while the runs ran and their clients read');
});
