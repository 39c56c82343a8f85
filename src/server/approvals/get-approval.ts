/** `GET /approvals/{approval_id}` (AgentOS): one approval, pending or answered. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { approvalOfPath } from './find-approval.ts';
import { approvalIdParameter, approvalIdPatterns, approvalNotFound, noRunStore } from './operation-parts.ts';
import { approvalOf } from './views.ts';

export const getApproval = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/approvals/{approval_id}',
  paramPatterns: approvalIdPatterns,
  operation: () => ({
    summary: 'Get an approval (AgentOS)',
    parameters: [approvalIdParameter],
    responses: { '200': answer('The approval', json(ref('ApprovalResponse'))), '404': approvalNotFound(), '503': noRunStore() },
  }),
  find: approvalOfPath,
  async handle(c, _deps, { found }) {
    return c.json(approvalOf(found.run, found.position, found.times));
  },
});
