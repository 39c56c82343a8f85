/**
 * The memo a run's Temporal execution carries: enough to describe and list the run with no
 * worker running. Its field names are stored in Temporal, so they never change.
 */
import type { RunInput } from '../contracts/plan.ts';
import { inputExcerpt } from '../contracts/text-refs.ts';
import type { TokenTotals } from '../contracts/token-totals.ts';

export interface RunMemo {
  /** The definition id (Agno's `workflow_id`), not the Temporal workflow id. */
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  user_id?: string;
  /** An excerpt of the input. */
  input: string;
  /** Hash of the start request, to tell a repeated idempotent start from a conflicting one. */
  request_hash?: string;
  /** Unix seconds when the run's first execution started: set once it continued as new. */
  created_at?: number;
  /** The tokens of the run's finished steps, kept by the run itself as they finish (`RUN_TOKENS_MEMO`). */
  tokens?: TokenTotals;
}

export function runMemo(run: RunInput, requestHash: string): RunMemo {
  const memo: RunMemo = {
    workflow_id: run.plan.id,
    workflow_name: run.plan.name,
    session_id: run.sessionId,
    input: inputExcerpt(run.input),
    request_hash: requestHash,
  };
  if (run.userId !== undefined) memo.user_id = run.userId;
  return memo;
}

/** The memo of a described or listed execution (empty for executions started without one). */
export function memoOf(execution: { memo?: Record<string, unknown> | undefined }): RunMemo {
  return (execution.memo ?? {}) as unknown as RunMemo;
}

