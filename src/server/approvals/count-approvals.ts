/** `GET /approvals/count` (AgentOS): how many approvals are pending, that is how many runs wait for a person. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, queryParameters, ref } from '../openapi/parts.ts';
import { badQuery, noRunStore } from './operation-parts.ts';
import { ApprovalCountQuery } from './schemas.ts';
import { pendingApprovals } from './stored-approvals.ts';

export const countApprovals = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/approvals/count',
  operation: () => ({
    summary: 'Count the approvals pending (AgentOS)',
    parameters: queryParameters(ApprovalCountQuery),
    responses: { '200': answer('The count', json(ref('ApprovalCountResponse'))), '422': badQuery(), '503': noRunStore() },
  }),
  query: ApprovalCountQuery,
  async handle(c, deps, { query }) {
    const pending = await pendingApprovals(deps, { userId: c.get('caller').userId ?? query.user_id });
    return c.json({ count: pending.length });
  },
});
