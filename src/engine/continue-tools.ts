/**
 * Answers the tool calls an agent's own run waits on (AgentOS's continue of a paused run): the
 * answers go to the workflow as an update, whose validator checks them against the calls waiting
 * at that moment and takes them once (see src/workflows/tool-answers.ts). A caller whose answers
 * come after others were taken, or to a run not waiting, gets a conflict; answers that do not
 * fit the calls, a bad request.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Client } from '@temporalio/client';
import type { ToolExecution } from '../contracts/events.ts';
import { toolAnswersUpdate } from '../contracts/run-workflow-api.ts';
import { RunConflictError, RunNotFoundError } from './errors.ts';
import { executionEnd } from './execution-end.ts';
import { updateResult } from './run-update.ts';

/** Returns the index of the newest event when the answers were taken: what follows is the continued run. */
export async function continueTools(client: Client, runId: string, tools: ToolExecution[]): Promise<number> {
  try {
    const taken = await updateResult(client, runId, 'the tools’ answers', () => client.workflow.getHandle(runId).executeUpdate(toolAnswersUpdate, { args: [tools] }));
    return taken.lastEventIndex;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    // No such run, or it has ended.
    const end = await executionEnd(client, runId).catch(() => undefined);
    if (!end) throw new RunNotFoundError(runId);
    throw new RunConflictError(runId, `Run ${runId} is not paused at a tool (it is ${end.status}).`);
  }
}
