/**
 * What an answered run does next, as the answer's caller waits for it: the run once it ends or
 * pauses again (another step may ask a person too). Shared by `/continue` and the approvals'
 * `resolve`, which answer the same question in two wire shapes.
 */
import type { RunOutputDict } from '../../contracts/events.ts';
import { RUN_READ_EVENT_BYTES } from '../../engine/output-events.ts';
import type { ServerDeps } from '../http/context.ts';

/** `answeredAt`: the index of the newest event when the answer was taken (`engine.continueRun`'s answer). */
export async function runAfterAnswer(deps: ServerDeps, runId: string, answeredAt: number): Promise<RunOutputDict> {
  for await (const event of deps.engine.streamEvents(runId, { after: answeredAt })) if (event.event === 'WorkflowPaused') break;
  const output = await deps.engine.getRun(runId, { eventBytes: RUN_READ_EVENT_BYTES });
  return output!.toDict();
}
