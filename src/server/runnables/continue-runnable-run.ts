/**
 * `POST /agents/{agent_id}/runs/{run_id}/continue`, `POST /teams/{team_id}/runs/{run_id}/continue`
 * (AgentOS): answer the tool calls a run paused at (confirmed or rejected, input filled in, the
 * result of a tool run elsewhere), then stream the rest, or wait until it ends or pauses again.
 * A team's run pauses at its members' tool calls: its requirements name the member.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, formBody, json, ownSse, ref, unavailable } from '../openapi/parts.ts';
import { linkToWebUi, streamEvents } from '../runs/run-answers.ts';
import { runnableRunOr404 } from './access.ts';
import type { RunnableRoutesKind } from './kinds.ts';
import { runnableRunNotFound, runnableRunOperation, runOutputRef } from './operation-parts.ts';
import { answeredTools } from './requirement-answers.ts';
import { runnableRunOutput } from './run-output.ts';
import { runWhenSettled } from './run-when-settled.ts';
import { ToolsContinueRequest } from './schemas.ts';
import { wireFrames } from './wire-events.ts';

export const continueRunnableRun = (kind: RunnableRoutesKind) =>
  defineRoute<ServerDeps>()({
    method: 'post',
    path: `/${kind.collection}/{${kind.param}}/runs/{run_id}/continue`,
    operation: (context) =>
      runnableRunOperation(kind, context, {
        summary: 'Continue a run paused at its tools (AgentOS)',
        description:
          'Answers the tool calls the run waits on: `confirmed` for a tool that asks for confirmation, the filled `user_input_schema` for one that asks for input, ' +
          '`result` for one run elsewhere, in `tools` or (a team’s, as Agno’s) `requirements`. stream=true (default): SSE of the rest of the run, to its end or its next pause; stream=false: the run once it ends or pauses again.',
        requestBody: formBody('ToolsContinueRequest'),
        responses: {
          '200': answer('The continued run’s events (stream=true), or the run once it ends or pauses again', { ...ownSse, ...json(ref(runOutputRef(kind))) }),
          ...bodyErrors('forms'),
          '422': error('Invalid body, or an answer is missing or does not fit its tool call'),
          '404': runnableRunNotFound(kind),
          '409': error('The run is not paused at a tool, or its tool calls were answered already'),
          '503': unavailable(),
        },
      }),
    find: runnableRunOr404(kind),
    body: { schema: ToolsContinueRequest, accepts: 'forms' },
    async handle(c, deps, { found: { runnable, run }, body }) {
      const last = await deps.engine.continueTools(run.run_id, answeredTools(body));
      if (body.stream) return streamEvents(c, deps, run.run_id, last, (frames) => wireFrames(runnable, frames, { endAtPause: true }));
      linkToWebUi(c, deps, run.run_id);
      return c.json(runnableRunOutput(runnable, await runWhenSettled(deps, run.run_id, last), { answered: true }));
    },
  });
