/**
 * An agent's or team's own run as a caller who waits for it sees it: once it has ended, or once
 * it pauses for a person at its (members') tools (as Agno's run answers then, PAUSED).
 */
import type { WorkflowRunOutput } from '../../engine/run-output.ts';
import { RunNotFoundError } from '../../engine/errors.ts';
import type { ServerDeps } from '../http/context.ts';
import { isOwnPause } from './own-pause.ts';

/** `after`: the index of the newest event the caller has seen (-1: from the start). */
export async function runWhenSettled(deps: ServerDeps, runId: string, after: number): Promise<WorkflowRunOutput> {
  for await (const event of deps.engine.streamEvents(runId, { after })) if (isOwnPause(event as { event: string; parent_run_id?: unknown })) break;
  const output = await deps.engine.getRun(runId);
  if (!output) throw new RunNotFoundError(runId);
  return output;
}
