/**
 * Which agent or team a path names, and which of its runs a caller may see: the run routes' rules
 * (src/server/runs/access.ts), for runs whose `workflow_id` is the agent's or team's.
 */
import type { Context } from 'hono';
import type { RunSummary } from '../../contracts/events.ts';
import { runnableId } from '../../definitions/runnable.ts';
import type { Runnable } from '../../definitions/runnable.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { visibleRun } from '../runs/access.ts';
import type { RunnableRoutesKind } from './kinds.ts';

export function runnableOr404(deps: ServerDeps, kind: RunnableRoutesKind, id: string): Runnable {
  const runnable = deps.runnables.get(runnableId(kind.kind, id));
  if (!runnable) throw new HttpError(404, `${kind.label} not found`);
  return runnable;
}

/** The served agent or team the route's path names, or a 404. */
export const runnableOfPath = (kind: RunnableRoutesKind) => (c: Context<AppEnv>, deps: ServerDeps) => runnableOr404(deps, kind, c.req.param(kind.param)!);

/** The path's agent or team and its run, as the caller may see it (see `visibleRun`), or undefined. */
export async function findRunnableRun(c: Context<AppEnv>, deps: ServerDeps, kind: RunnableRoutesKind): Promise<{ runnable: Runnable; run: RunSummary | undefined }> {
  const runnable = runnableOr404(deps, kind, c.req.param(kind.param)!);
  const run = await visibleRun(deps, c.get('caller'), c.req.param('run_id')!, { sessionId: c.req.query('session_id') });
  return { runnable, run: run?.workflow_id === runnable.id ? run : undefined };
}

/** The path's agent or team and its run (see `findRunnableRun`), or a 404. */
export const runnableRunOr404 = (kind: RunnableRoutesKind) => async (c: Context<AppEnv>, deps: ServerDeps) => {
  const found = await findRunnableRun(c, deps, kind);
  if (!found.run) throw new HttpError(404, 'Run not found');
  return { runnable: found.runnable, run: found.run };
};
