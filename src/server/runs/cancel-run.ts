/**
 * `POST /workflows/{workflow_id}/runs/{run_id}/cancel`. As AgentOS: cancelling asks a run to stop
 * and answers 200 `{}`, also for a run that has already ended or that is unknown (nothing to
 * stop). `?strict=true` (ours) answers 404 for an unknown run and 409 for an ended one instead.
 * A caller bound to a user gets 404 for runs not theirs, as AgentOS answers callers scoped to
 * their sessions.
 */
import type { Context } from 'hono';
import type { RunSummary } from '../../contracts/events.ts';
import { RunNotFoundError } from '../../engine/errors.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, unavailable } from '../openapi/parts.ts';
import { findRun } from './access.ts';
import { runOperation } from './operation-parts.ts';
import { linkToWebUi } from './run-answers.ts';
import { CancelQuery } from './schemas.ts';

export const cancelRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs/{run_id}/cancel',
  operation: (context) =>
    runOperation(
      context,
      {
        summary: 'Cancel a run',
        ...cancelAnswers('strict=true, or a key bound to a user: unknown workflow or run'),
      },
      CancelQuery,
    ),
  query: CancelQuery,
  async handle(c, deps, { query: { strict } }) {
    return cancelFoundRun(c, deps, await findRun(c, deps, c.req.param('workflow_id')!, c.req.param('run_id')!), strict);
  },
});

/** What a cancel route answers (as AgentOS, see above); `notFound`: when it answers 404. */
export function cancelAnswers(notFound: string) {
  return {
    description: 'As AgentOS: 200 {} also for a run that has ended or is unknown (nothing to stop); strict=true answers 404 and 409 for those.',
    responses: {
      '200': answer('Cancellation requested, or nothing to stop', json({ type: 'object', additionalProperties: false })),
      '404': error(notFound),
      '409': error('strict=true: the run has already ended'),
      '422': error('Invalid query'),
      '503': unavailable(),
    },
  };
}

/** Cancels the run a cancel route found (undefined: none the caller may see), answering as AgentOS does (see above). */
export async function cancelFoundRun(c: Context<AppEnv>, deps: ServerDeps, run: RunSummary | undefined, strict: boolean): Promise<Response> {
  if (!run) {
    if (strict || c.get('caller').userId !== undefined) throw new HttpError(404, 'Run not found.');
    return c.json({});
  }
  linkToWebUi(c, deps, run.run_id);
  if (run.status !== 'RUNNING' && run.status !== 'PENDING' && run.status !== 'PAUSED') {
    if (strict) throw new HttpError(409, `Run ${run.run_id} has already ended (${run.status}).`);
    return c.json({});
  }
  try {
    await deps.engine.cancel(run.run_id);
  } catch (err) {
    // It ended in between: as for any ended run.
    if (strict || !(err instanceof RunNotFoundError)) throw err;
  }
  return c.json({});
}
