/** `GET /sessions/{session_id}/runs` (AgentOS WorkflowRunSchema): the session's runs, oldest first, with their events. */
import { defineRoute } from '../http/route.ts';
import { answer, json, pointer, ref, unavailable } from '../openapi/parts.ts';
import { workflowRunSchema } from '../wire/workflow-run.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, readParameters, sessionNotFound } from './operation-parts.ts';
import { SessionQuery } from './schemas.ts';

export const sessionRuns = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions/{session_id}/runs',
  operation: () => ({
    summary: 'The session’s runs, oldest first (AgentOS WorkflowRunSchema)',
    parameters: readParameters(),
    responses: {
      '200': {
        ...answer('Runs', json({ type: 'array', items: ref('WorkflowRunSchema') })),
        links: {
          SessionRun: {
            operationRef: pointer('paths', '/sessions/{session_id}/runs/{run_id}', 'get'),
            parameters: { session_id: '$request.path.session_id', run_id: '$response.body#/0/run_id' },
          },
        },
      },
      '404': sessionNotFound(),
      '422': badQuery(),
      '503': unavailable(),
    },
  }),
  query: SessionQuery,
  async handle(c, deps, { query }) {
    const { outputs } = await deps.sessions.withRuns(c.get('caller'), c.req.param('session_id')!, query, true);
    return c.json(outputs.map(workflowRunSchema));
  },
});
