/**
 * `GET /sessions/{session_id}/runs`: the session's runs, oldest first, as AgentOS lists them: a
 * workflow's (WorkflowRunSchema, with their events), an agent's (RunSchema) or a team's
 * (TeamRunSchema, its members' runs, RunSchema, before each of its own).
 */
import { defineRoute } from '../http/route.ts';
import { answer, json, pointer, unavailable } from '../openapi/parts.ts';
import type { SessionDeps } from './deps.ts';
import { badQuery, readParameters, sessionNotFound, sessionRunRef } from './operation-parts.ts';
import { SessionQuery } from './schemas.ts';

export const sessionRuns = defineRoute<SessionDeps>()({
  method: 'get',
  path: '/sessions/{session_id}/runs',
  operation: () => ({
    summary: 'The session’s runs, oldest first (AgentOS WorkflowRunSchema; RunSchema and TeamRunSchema for type=agent and team)',
    parameters: readParameters(),
    responses: {
      '200': {
        ...answer('Runs', json({ type: 'array', items: sessionRunRef })),
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
    return c.json(await deps.sessions.runs(c.get('caller'), c.req.param('session_id')!, query));
  },
});
