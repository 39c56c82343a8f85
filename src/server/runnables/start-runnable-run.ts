/**
 * `POST /agents/{agent_id}/runs`, `POST /teams/{team_id}/runs` (AgentOS): start a run of the
 * agent or team, a run of its one-step plan. `stream=true` (default) answers with its events as
 * Agno streams them (SSE), `background=true` with 202 at once, else with its `RunOutput` /
 * `TeamRunOutput` once it has ended.
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, formBody, header, json, ref, ownSse, unavailable } from '../openapi/parts.ts';
import { startRunFor } from '../runs/access.ts';
import { linkToWebUi, streamEvents } from '../runs/run-answers.ts';
import { IdempotencyKey, RunRequest } from '../runs/schemas.ts';
import { runnableOfPath } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableIdParameter, runnableNotFound, runOutputRef } from './operation-parts.ts';
import { runnableRunOutput } from './run-output.ts';
import { runWhenSettled } from './run-when-settled.ts';
import { wireFrames } from './wire-events.ts';

export const startRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs`,
    operation: (context) => ({
      summary: `Start a run of ${kind.kind === 'agent' ? 'an agent' : 'a team'}`,
      description:
        `stream=true (default): SSE of the ${kind.kind}’s events (to the run’s end, or its pause for a person at a tool). stream=false, background=true: 202 at once. ` +
        'Neither: waits and returns the run (ended, or PAUSED at a tool). An Idempotency-Key header makes the start idempotent.',
      parameters: [runnableIdParameter(kind, context), header('Idempotency-Key', IdempotencyKey, `The same key (per ${kind.kind} and user) and body always return the same run.`)],
      requestBody: formBody('RunRequest'),
      responses: {
        '200': answer('The run’s events (stream=true) or the finished run (stream=false)', { ...ownSse, ...json(ref(runOutputRef(kind))) }),
        '202': answer('Started in the background', json(ref('StartedRun'))),
        ...bodyErrors('forms'),
        '400': error('Invalid Idempotency-Key, a body that is not valid JSON or not UTF-8, or a form that cannot be read or has more than 1000 fields'),
        ...(context.secured ? { '403': error('user_id of another user than the one the key is bound to') } : {}),
        '404': runnableNotFound(kind),
        '409': error('Idempotency-Key reused with a different request'),
        '503': unavailable(),
      },
    }),
    find: runnableOfPath(kind),
    body: { schema: RunRequest, accepts: 'forms' },
    async handle(c, deps, { found: runnable, body }) {
      const idempotencyKey = c.req.header('idempotency-key');
      if (idempotencyKey !== undefined && !IdempotencyKey.safeParse(idempotencyKey).success) {
        throw new HttpError(400, 'Idempotency-Key must be 1-255 visible ASCII characters.');
      }
      const { output } = await startRunFor(deps, c.get('caller'), runnable, body, idempotencyKey);
      c.set('runId', output.run_id);
      if (body.stream) return streamEvents(c, deps, output.run_id, -1, (frames) => wireFrames(runnable, frames, { endAtPause: true }));
      linkToWebUi(c, deps, output.run_id);
      if (body.background) return c.json({ run_id: output.run_id, session_id: output.session_id, status: 'PENDING' }, 202);
      // An agent whose tools may ask a person answers as it pauses too (PAUSED, with what it waits on).
      const settled = runnable.mayPause ? await runWhenSettled(deps, output.run_id, -1) : await deps.engine.waitForRun(output.run_id);
      return c.json(runnableRunOutput(runnable, settled, { answered: true }));
    },
  });
