/**
 * `POST /workflows/{workflow_id}/runs`: start a run (AgentOS). `stream=true` answers with the
 * run's events as SSE, `background=true` with 202 at once, else with the run once it has ended.
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, formBody, header, json, ref, sse, unavailable } from '../openapi/parts.ts';
import { startRunFor, workflowOfPath } from './access.ts';
import { runLinks, runNotFound, workflowIdParameter } from './operation-parts.ts';
import { linkToWebUi, streamEvents } from './run-answers.ts';
import { IdempotencyKey, RunRequest } from './schemas.ts';

export const startRun = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/workflows/{workflow_id}/runs',
  operation: (context) => ({
    summary: 'Start a run',
    description:
      'stream=true (default): SSE of the run’s events. stream=false, background=true: 202 at once. ' +
      'Neither: waits and returns the run. An Idempotency-Key header makes the start idempotent. ' +
      'In a session with a live run, multitask_strategy says what happens (default enqueue: the run waits, PENDING, for the runs before it to end).',
    parameters: [workflowIdParameter(context), header('Idempotency-Key', IdempotencyKey, 'The same key (per workflow and user) and body always return the same run.')],
    requestBody: formBody('RunRequest'),
    responses: {
      '200': answer('The run’s events (stream=true) or the finished run (stream=false)', { ...sse, ...json(ref('WorkflowRunOutput')) }),
      '202': { ...answer('Started in the background', json(ref('StartedRun'))), links: runLinks() },
      ...bodyErrors('forms'),
      '400': error('Invalid Idempotency-Key, a body that is not valid JSON or not UTF-8, or a form that cannot be read or has more than 1000 fields'),
      ...(context.secured ? { '403': error('user_id of another user than the one the key is bound to') } : {}),
      '404': runNotFound(),
      '409': error('Idempotency-Key reused with a different request, or multitask_strategy=reject and the session has a run in progress'),
      '429': { ...error('Too many runs wait to start (MAX_QUEUE_DEPTH): nothing started; try again after Retry-After seconds'), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } },
      '503': unavailable(),
    },
  }),
  find: workflowOfPath,
  body: { schema: RunRequest, accepts: 'forms' },
  async handle(c, deps, { found: workflow, body }) {
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && !IdempotencyKey.safeParse(idempotencyKey).success) {
      throw new HttpError(400, 'Idempotency-Key must be 1-255 visible ASCII characters.');
    }
    const { output } = await startRunFor(deps, c.get('caller'), workflow, body, idempotencyKey);
    c.set('runId', output.run_id);
    if (body.stream) return streamEvents(c, deps, output.run_id, -1);
    linkToWebUi(c, deps, output.run_id);
    if (body.background) return c.json({ run_id: output.run_id, session_id: output.session_id, status: 'PENDING' }, 202);
    const final = await deps.engine.waitForRun(output.run_id);
    return c.json(final.toDict());
  },
});
