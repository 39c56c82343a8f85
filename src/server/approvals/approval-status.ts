/** `GET /approvals/{approval_id}/status` (AgentOS): an approval's status alone, for polling. */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, json, ref } from '../openapi/parts.ts';
import { approvalOfPath } from './find-approval.ts';
import { approvalIdParameter, approvalIdPatterns, approvalNotFound, noRunStore } from './operation-parts.ts';
import type { ApprovalStatus } from '../../contracts/wire-schemas/approvals.ts';
import { approvalId, approvalStatus } from './views.ts';

export const getApprovalStatus = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/approvals/{approval_id}/status',
  paramPatterns: approvalIdPatterns,
  operation: () => ({
    summary: 'Get an approval’s status (AgentOS)',
    parameters: [approvalIdParameter],
    responses: { '200': answer('Its status', json(ref('ApprovalStatusResponse'))), '404': approvalNotFound(), '503': noRunStore() },
  }),
  find: approvalOfPath,
  async handle(c, _deps, { found: { run, position } }) {
    const status: ApprovalStatus = { approval_id: approvalId(run.run_id, position), status: approvalStatus(run, position), run_id: run.run_id, resolved_at: null, resolved_by: null };
    return c.json(status);
  },
});
