/**
 * An agent's or team's own run as a caller who waits for it sees it: once it has ended, or once
 * its agent pauses for a person at its tools (as Agno's run answers then, PAUSED).
 */
import type { WorkflowRunOutput } from '../../engine/run-output.ts';
import { RunNotFoundError } from '../../engine/errors.ts';
import type { ServerDeps } from '../http/context.ts';

/** `after`: the index of the newest event the caller has seen (-1: from the start). */
export async function runWhenSettled(deps: ServerDeps, runId: string, after: number): Promise<WorkflowRunOutput> {
  for await (const event of deps.engine.streamEvents(runId, { after })) if (event.event === 'RunPaused') break;
  const output = await deps.engine.getRun(runId);
  if (!output) throw new RunNotFoundError(runId);
  return output;
}
