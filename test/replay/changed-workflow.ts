/**
 * A deliberately non-deterministic change to the run workflow, for the replay test: it starts a
 * timer before doing what the recorded runs did, so its commands no longer match their histories.
 */
import { sleep } from '@temporalio/workflow';
import type { RunInput } from '../../src/contracts/plan.ts';
import type { RunState } from '../../src/contracts/events.ts';
import { WorkflowRun as recorded } from '../../src/workflows/run-workflow.ts';

export async function WorkflowRun(run: RunInput): Promise<RunState> {
  await sleep('1 second');
  return recorded(run);
}
