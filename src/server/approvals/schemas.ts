/**
 * Schemas of AgentOS's /approvals routes, with Agno's names and shapes (its `ApprovalResolve` and
 * list filters; the answers are src/contracts/wire-schemas/approvals.ts): the same zod schemas
 * validate requests and are named in the OpenAPI document.
 */
import { z } from 'zod';
import { APPROVAL_STATUSES } from '../../contracts/wire-schemas/approvals.ts';
import { boundedJsonObject, id, queryInteger } from '../wire/common.ts';

// ---- requests ----------------------------------------------------------------------------------

export const ApprovalsQuery = z.object({
  status: z.enum(APPROVAL_STATUSES).optional().describe('Only pending approvals are listed (the runs waiting now): another status lists none. Answered ones are read by id.'),
  source_type: z.string().max(256).optional().describe('Every approval here comes from a workflow: another source type lists none.'),
  approval_type: z.enum(['required', 'audit']).optional().describe('Every approval here is required (a run waits for it): audit lists none.'),
  pause_type: z.string().max(256).optional().describe('confirmation or user_input.'),
  agent_id: id.optional().describe('Approvals here come from workflow steps: an agent id lists none.'),
  team_id: id.optional().describe('Approvals here come from workflow steps: a team id lists none.'),
  workflow_id: id.optional(),
  user_id: id.optional().describe('A caller bound to a user lists that user’s approvals only, whatever this says.'),
  schedule_id: id.optional().describe('There are no schedules here: a schedule id lists none.'),
  run_id: id.optional(),
  limit: queryInteger(1, 1000).default(100),
  page: queryInteger(1, 1_000_000).default(1),
});

export const ApprovalCountQuery = z.object({
  user_id: id.optional().describe('A caller bound to a user counts that user’s approvals only, whatever this says.'),
});

/** `POST /approvals/{approval_id}/resolve` (Agno's `ApprovalResolve`), JSON. */
export const ApprovalResolve = z.object({
  status: z.enum(['approved', 'rejected']).describe('approved answers the step with confirmed: true (and the input), rejected with confirmed: false.'),
  resolved_by: z.string().max(255).nullable().optional().describe('Who resolved it; a caller bound to a user is that user whatever this says.'),
  resolution_data: boundedJsonObject.nullable().optional().describe('For a step asking for input: the input (its user_input), checked against the step’s schema.'),
});
