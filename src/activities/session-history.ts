/**
 * An agent's or team's earlier runs of a session, as conversation for its next run (Agno's
 * `add_history_to_context`): each completed run's input and answer, oldest first, read from the
 * run store — the client never sends them again. Big texts stay the references the runs made of
 * them (the model call expands them).
 */
import type { ConversationMessage, SessionHistoryInput } from '../contracts/activities.ts';
import type { RunStore } from '../run-store/run-store.ts';

export function createSessionHistory(store: RunStore) {
  return async function readSessionHistory(input: SessionHistoryInput): Promise<ConversationMessage[]> {
    if (!input.sessionId || input.runs <= 0) return [];
    // Newest first; one more than wanted, in case the asking run is among them.
    const { runs } = await store.listRuns({ workflowId: input.workflowId, sessionId: input.sessionId, status: 'COMPLETED', limit: input.runs + 1 });
    const earlier = runs.filter((run) => run.run_id !== input.runId).slice(0, input.runs).reverse();
    const records = await Promise.all(earlier.map((run) => store.getRun(run.run_id)));
    return records.flatMap((record): ConversationMessage[] =>
      record?.state.content === undefined ? [] : [{ role: 'user', content: record.input }, { role: 'assistant', content: record.state.content }],
    );
  };
}
