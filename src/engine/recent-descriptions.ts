/**
 * One describe of an execution answers every reader that asks within a moment: ten clients
 * polling a running run ten times a second would otherwise cost a hundred round trips to Temporal
 * a second, all for the same answer ("still open"). Only reads that may take a moment-old answer
 * use it (a poll's status: an end outside workflow code, such as a terminate, shows at most this
 * much later; ends the workflow writes reach the store at once). Reads that decide which
 * execution to follow (a retry may have just begun one) always ask afresh.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';

/** How old a shared answer may be. */
export const RECENT_DESCRIPTION_MS = 1000;
/** Past this many runs asked about, old answers are swept out on the next ask. */
const SWEEP_ABOVE = 256;

interface Asked {
  at: number;
  description: Promise<WorkflowExecutionDescription>;
}

const byClient = new WeakMap<Client, Map<string, Asked>>();

/** The execution's description, shared with every ask of the last RECENT_DESCRIPTION_MS (a failed ask is not shared). */
export function describeRecently(client: Client, runId: string): Promise<WorkflowExecutionDescription> {
  let asked = byClient.get(client);
  if (!asked) byClient.set(client, (asked = new Map()));
  const now = Date.now();
  const recent = asked.get(runId);
  if (recent && now - recent.at < RECENT_DESCRIPTION_MS) return recent.description;
  if (asked.size > SWEEP_ABOVE) {
    for (const [id, entry] of asked) if (now - entry.at >= RECENT_DESCRIPTION_MS) asked.delete(id);
  }
  const description = client.workflow.getHandle(runId).describe();
  const entry = { at: now, description };
  asked.set(runId, entry);
  description.catch(() => {
    if (asked.get(runId) === entry) asked.delete(runId);
  });
  return description;
}
