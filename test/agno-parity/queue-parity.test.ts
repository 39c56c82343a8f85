/**
 * The differential test of the queue's operator routes: Agno's own AgentOS with its durable queue
 * on (agno_os_queue.py; `/queue/jobs`, `/queue/jobs/{id}`, `/queue/jobs/{id}/requeue`,
 * `/queue/stats`) and our API (the same routes at the root) get the same requests
 * (queue-scenario.ts); every difference must be on the allowlist below, with its reason, as in
 * parity.test.ts. The report goes beside parity.test.ts's, as `agno-queue-parity-report.txt`.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { startApiHarness } from '../support/api-harness.ts';
import { skipWithoutTool } from '../support/ci.ts';
import { agnoOsMissing, startAgnoOs } from './agno-os-process.ts';
import type { Allowed } from './allowlist.ts';
import { assertOnlyAllowedDifferences } from './judged-exchanges.ts';
import { parityReply } from './parity-script.ts';
import { runQueueScenario } from './queue-scenario.ts';
import { Wire } from './wire.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Every accepted difference, with its reason (as in parity.test.ts; none pending). */
const ALLOWLIST: Allowed[] = [
  { why: 'extension', kind: 'extra', path: '**run_id', reason: 'a job also names its run as `run_id` (the same id as `id`), as every run-shaped answer does' },
  { why: 'extension', kind: 'extra', path: '**queue_position', reason: 'a queued job shows its place in its session’s queue (1 starts next)' },
  ...['queue_depth', 'max_queue_depth'].map(
    (path): Allowed => ({ why: 'extension', kind: 'extra', path, label: /^stats:/, reason: 'the stats also give the runs waiting to start and the bound past which a start answers 429 (MAX_QUEUE_DEPTH)' }),
  ),
  ...['scope', '_agno_authorization', 'serialize_session', 'session_seq'].map(
    (field): Allowed => ({
      why: 'by design',
      kind: ['missing', 'missing-null'],
      path: `**payload.${field}`,
      reason: 'the fields of Agno’s ticket that its worker reads to rebuild the run (registry scope, forwarded credentials, session sequence) have no counterpart: a queued run here is a signal to its session’s queue workflow (ADR 0017)',
    }),
  ),
  {
    why: 'by design',
    kind: 'status',
    path: '',
    label: /^jobs: requeue a completed one$/,
    reason: 'a job that neither failed nor was cancelled is a conflict with its state (409), as a retry of a run that did not fail answers; AgentOS answers 400',
  },
  {
    why: 'by design',
    kind: 'extra',
    path: 'counts.cancelled',
    label: /^stats: after$/,
    reason: 'a requeue starts the job’s input as a new run, so the cancelled one stays cancelled; AgentOS runs the same ticket again',
  },
];

test("our queue's routes answer as Agno's durable queue's do, but for the allowlisted differences", { timeout: 300_000 }, async (t) => {
  const skip = skipWithoutTool("our queue's routes compared with Agno's AgentOS (test/agno-parity)", await agnoOsMissing());
  if (skip) return t.skip(skip);

  const h = await startApiHarness([contentCreationWorkflow]);
  t.after(() => h.close());
  h.openai.setHandler(parityReply);
  const agnoOs = await startAgnoOs({ openaiUrl: h.openai.url, hackernewsUrl: h.hackernews.url, yahooUrl: h.yahoo.url }, join(HERE, 'agno_os_queue.py'));
  t.after(() => agnoOs.close());

  const agno = new Wire('agno', agnoOs.url);
  const ours = new Wire('ours', h.api.url);
  try {
    await runQueueScenario(agno, h.openai, '/queue');
  } catch (err) {
    throw new Error(`Agno's AgentOS failed the queue scenario: ${(err as Error).message}\n--- its output ---\n${agnoOs.output()}`, { cause: err });
  }
  await runQueueScenario(ours, h.openai, '');

  const path = process.env.AGNO_QUEUE_PARITY_REPORT ?? join(tmpdir(), 'agno-queue-parity-report.txt');
  assert.deepEqual(assertOnlyAllowedDifferences(t, agno, ours, ALLOWLIST, path), [], 'allowlist entries that matched nothing');
});
