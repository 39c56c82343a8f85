/** `GET /sessions/{session_id}/runs/{run_id}` (AgentOS WorkflowRunSchema): one run of the session. */
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, error, json, queryParameters, ref, runIdParameter, unavailable } from '../openapi/parts.ts';
import { workflowRunSchema } from '../wire/workflow-run.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, sessionIdParameter } from './operation-parts.ts';
import { SessionQuery } from './schemas.ts';

export const sessionRun = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions/{session_id}/runs/{run_id}',
  operation: () => ({
    summary: 'One run of the session (AgentOS WorkflowRunSchema)',
    parameters: [sessionIdParameter, runIdParameter, ...queryParameters(SessionQuery)],
    responses: { '200': answer('The run', json(ref('WorkflowRunSchema'))), '404': error('No such session, no such run in it, or an unknown db_id'), '422': badQuery(), '503': unavailable() },
  }),
  query: SessionQuery,
  async handle(c, deps, { query }) {
    const sessionId = c.req.param('session_id')!;
    const runId = c.req.param('run_id')!;
    const { outputs } = await deps.sessions.withRuns(c.get('caller'), sessionId, query, true);
    const output = outputs.find((run) => run.run_id === runId);
    if (!output) throw new HttpError(404, `Run with ID ${runId} not found in session ${sessionId}`);
    return c.json(workflowRunSchema(output));
  },
});
