/**
 * Back-fill: the runs that ended before the run store existed (or under workers without it) are
 * written to it, so lists and sessions, which the store answers, show them too. Each is read
 * once through Temporal (a `state` query a worker answers, and its log), exactly as a GET of it
 * would, which then writes it (read-run.ts). Open runs are left out: their next activity writes
 * them whole (docs/adr/0012-run-store-writes.md). Done once per store: a mark says so, and later
 * starts skip the scan. A run no worker can read now is skipped and counted; the mark is not set
 * then, so the next start tries those again, and a GET of such a run still writes it.
 */
import type { Client } from '@temporalio/client';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import type { RunStore } from '../run-store/run-store.ts';
import { getRun } from './read-run.ts';
import { queryValue } from './register-search-attributes.ts';

/** The store's mark of a finished back-fill: when it started (ISO time). */
export const BACKFILL_MARK = 'backfill';

export interface BackfillReport {
  /** Closed runs Temporal listed. */
  listed: number;
  /** Of those, written to the store now. */
  written: number;
  /** Of those, not readable now (no worker answered, say): left for the next start, or a GET. */
  failed: number;
  /** Whether it ran: false when the store's mark says it was done. */
  ran: boolean;
}

export interface BackfillOptions {
  /** A line now and then on long back-fills (every `progressEvery` runs listed), and one at the end. */
  log?: (line: string) => void;
  progressEvery?: number;
  signal?: AbortSignal;
}

export async function backfillRunStore(client: Client, store: RunStore, options: BackfillOptions = {}): Promise<BackfillReport> {
  const report: BackfillReport = { listed: 0, written: 0, failed: 0, ran: false };
  if (await store.getMark(BACKFILL_MARK)) return report;
  report.ran = true;
  const startedAt = new Date();
  const every = options.progressEvery ?? 500;
  // Closed before now: a run that closes later was written by its own workflow (or by the first read of it).
  const query = [`WorkflowType = ${queryValue(RUN_WORKFLOW_TYPE)}`, `ExecutionStatus != 'Running'`, `ExecutionStatus != 'ContinuedAsNew'`, `CloseTime < ${queryValue(startedAt.toISOString())}`].join(' AND ');
  const seen = new Set<string>();
  for await (const execution of client.workflow.list({ query })) {
    options.signal?.throwIfAborted();
    // A retried run's earlier executions are listed too: the run is read once.
    if (seen.has(execution.workflowId)) continue;
    seen.add(execution.workflowId);
    report.listed += 1;
    if (report.listed % every === 0) options.log?.(`run store back-fill: ${report.listed} runs checked, ${report.written} written so far`);
    if (await store.getRun(execution.workflowId)) continue;
    try {
      await getRun(client, execution.workflowId, { store });
      if (await store.getRun(execution.workflowId)) report.written += 1;
      else report.failed += 1;
    } catch (err) {
      report.failed += 1;
      options.log?.(`run store back-fill: run ${execution.workflowId} could not be read now (${String(err)}); a later start or a GET of it writes it`);
    }
  }
  if (report.failed === 0) await store.setMark(BACKFILL_MARK, startedAt.toISOString());
  if (report.written + report.failed > 0) options.log?.(`run store back-fill: ${report.listed} ended runs checked, ${report.written} written${report.failed ? `, ${report.failed} not readable now` : ''}`);
  return report;
}
