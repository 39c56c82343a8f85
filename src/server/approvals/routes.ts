/** The approval routes (AgentOS's): the questions runs ask people, in the order the OpenAPI document lists them. */
import { getApprovalStatus } from './approval-status.ts';
import { countApprovals } from './count-approvals.ts';
import { deleteApproval } from './delete-approval.ts';
import { getApproval } from './get-approval.ts';
import { listApprovals } from './list-approvals.ts';
import { resolveApproval } from './resolve-approval.ts';

// `/approvals/count` names no approval: approval ids have their own shape (operation-parts.ts).
export const APPROVAL_ROUTES = [listApprovals, countApprovals, getApprovalStatus, getApproval, resolveApproval, deleteApproval];
