/**
 * What a socket message names: a served workflow, agent or team (else the 404 its HTTP routes
 * answer), which of its runs the caller may see (the HTTP routes' rules), and how a run's stream
 * is shown: an agent's or team's own run in Agno's shapes, as its HTTP routes stream it.
 */
import type { RunSummary } from '../../contracts/events.ts';
import type { NestedWorkflow } from '../../definitions/node.ts';
import type { Caller } from '../http/auth.ts';
import type { ServerDeps } from '../http/context.ts';
import { visibleRun, workflowOr404 } from '../runs/access.ts';
import { runnableOr404 } from '../runnables/access.ts';
import { AGENTS, TEAMS } from '../runnables/kinds.ts';
import { wireFrames } from '../runnables/wire-events.ts';
import type { RunFamily } from './action-scopes.ts';
import type { StreamView } from './connection.ts';

/** The served workflow, agent or team; its `id` is its runs' `workflow_id`. */
export function targetOr404(deps: ServerDeps, family: RunFamily, id: string): NestedWorkflow {
  if (family.kind === 'workflow') return workflowOr404(deps, id);
  return runnableOr404(deps, family.kind === 'agent' ? AGENTS : TEAMS, id);
}

/** The run, when the caller may see it and it belongs to what the message names (`id` of `family`, when named). */
export async function visibleRunOf(deps: ServerDeps, caller: Caller, runId: string, family: RunFamily, id: string | undefined, sessionId: string | undefined): Promise<RunSummary | undefined> {
  const workflowId = id === undefined ? undefined : targetOr404(deps, family, id).id;
  const run = await visibleRun(deps, caller, runId, { sessionId });
  return run && (workflowId === undefined || run.workflow_id === workflowId) ? run : undefined;
}

/** How the socket shows the stream of a run with this `workflow_id`. */
export function streamViewOf(deps: ServerDeps, workflowId: string): StreamView | undefined {
  const runnable = deps.runnables.get(workflowId);
  return runnable && ((frames) => wireFrames(runnable, frames));
}
