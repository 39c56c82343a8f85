/** The pieces the run routes' OpenAPI operations share: the path's parameters, a run's 404, and what a started run's id leads to. */
import type { z } from 'zod';
import type { OperationContext } from '../http/route.ts';
import { error, pointer, queryParameters, runIdParameter } from '../openapi/parts.ts';
import type { Json } from '../openapi/parts.ts';
import { RunQuery } from './schemas.ts';

export const workflowIdParameter = ({ workflowIds }: OperationContext) => ({
  name: 'workflow_id',
  in: 'path',
  required: true,
  description: 'A served workflow.',
  schema: { type: 'string', enum: workflowIds },
});

export const runNotFound = () => error('Unknown workflow or run (another user’s run is reported the same way)');

/** An operation on one run: the path's parameters, then the query's (by default the run's `session_id`). */
export const runOperation = (context: OperationContext, operation: Json, query: z.ZodObject = RunQuery) => ({
  parameters: [workflowIdParameter(context), runIdParameter, ...queryParameters(query)],
  ...operation,
});

/**
 * What a started run's id leads to (OpenAPI links: clients and test generators follow them). Not
 * its fork: the step to fork at is named in the body, which no link can supply, and a step the
 * run does not have is refused (422).
 */
export const runLinks = () =>
  Object.fromEntries(
    [['GetRun', 'get', ''], ['CancelRun', 'post', '/cancel'], ['ContinueRun', 'post', '/continue'], ['RetryRun', 'post', '/retry'], ['ResumeRun', 'post', '/resume'], ['RunEvents', 'get', '/events']].map(
      ([name, method, suffix]) => [
        name,
        {
          operationRef: pointer('paths', `/workflows/{workflow_id}/runs/{run_id}${suffix}`, method!),
          parameters: { workflow_id: '$request.path.workflow_id', run_id: '$response.body#/run_id' },
        },
      ],
    ),
  );
