/** The pieces the agent and team routes' OpenAPI operations share: the path's parameters and a run's 404. */
import type { z } from 'zod';
import type { OperationContext } from '../http/route.ts';
import { error, queryParameters, runIdParameter } from '../openapi/parts.ts';
import type { Json } from '../openapi/parts.ts';
import { RunQuery } from '../runs/schemas.ts';
import type { RunnableRoutesKind } from './kinds.ts';

export const runnableIdParameter = (kind: RunnableRoutesKind, context: OperationContext) => {
  const ids = (kind.kind === 'agent' ? context.agentIds : context.teamIds) ?? [];
  // A server that serves none still has the routes (every id a 404); an empty enum would be no schema at all.
  return { name: kind.param, in: 'path', required: true, description: `A served ${kind.kind}.`, schema: { type: 'string', ...(ids.length > 0 ? { enum: ids } : {}) } };
};

export const runnableNotFound = (kind: RunnableRoutesKind) => error(`Unknown ${kind.kind}`);

export const runnableRunNotFound = (kind: RunnableRoutesKind) => error(`Unknown ${kind.kind} or run (another user’s run is reported the same way)`);

/** An operation on one run of an agent or team: the path's parameters, then the query's (by default the run's `session_id`). */
export const runnableRunOperation = (kind: RunnableRoutesKind, context: OperationContext, operation: Json, query: z.ZodObject = RunQuery) => ({
  parameters: [runnableIdParameter(kind, context), runIdParameter, ...queryParameters(query)],
  ...operation,
});

/** The named schema of a run's output: Agno's `RunOutput` or `TeamRunOutput`. */
export const runOutputRef = (kind: RunnableRoutesKind) => (kind.kind === 'agent' ? 'RunOutput' : 'TeamRunOutput');
