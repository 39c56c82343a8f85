/**
 * An approval as the API answers it (Agno's `ApprovalResponse`, `ApprovalCountResponse`,
 * `ApprovalStatusResponse` and paginated list, same names and shapes): declared once here, for
 * the server's answers, its OpenAPI document and the client's types. Agno's optional fields are
 * always sent, null when unset.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../event-names.ts';
import { jsonObject, PageMeta } from './common.ts';

/** Agno's statuses of an approval. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalStatusName = (typeof APPROVAL_STATUSES)[number];

const text = z.string().nullable();
const seconds = z.number().int().nullable();

export const Approval = z.object({
  id: z.string().describe('<run_id>~<n>: the run’s n-th question to a person (from 0).'),
  run_id: z.string(),
  session_id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  source_type: z.literal('workflow'),
  approval_type: z.literal('required'),
  pause_type: z.enum(['confirmation', 'user_input']),
  tool_name: text.describe('Always null: a workflow step asks here, not a tool.'),
  tool_args: jsonObject.nullable().describe('Always null: a workflow step asks here, not a tool.'),
  expires_at: seconds.describe('Unix seconds: when nobody answering in time applies the step’s on_timeout; null when it waits for ever.'),
  agent_id: text,
  team_id: text,
  workflow_id: z.string(),
  user_id: text,
  schedule_id: text,
  schedule_run_id: text,
  source_name: z.string().describe('The workflow’s name.'),
  requirements: z.array(jsonObject).describe('The step’s requirement (a StepRequirement), with its answer once answered.'),
  context: jsonObject.describe('{source_name, step_name}.'),
  resolution_data: jsonObject.nullable().describe('The input given, for an answered step that asked for input.'),
  resolved_by: text.describe('In the answer of resolve only: who answered is not kept with the run.'),
  resolved_at: seconds.describe('In the answer of resolve only.'),
  created_at: seconds.describe('Unix seconds: when the run paused, while it waits (and in the answer of resolve); null on reads once answered.'),
  updated_at: seconds,
  run_status: z.enum(RUN_STATUSES).describe('The run’s status now.'),
});
export type Approval = z.output<typeof Approval>;

export const ApprovalsPage = z.object({
  data: z.array(Approval),
  meta: PageMeta,
});

export type ApprovalsPage = z.output<typeof ApprovalsPage>;

export const ApprovalCount = z.object({ count: z.number().int().min(0).describe('Approvals pending (runs waiting for a person).') });

export const ApprovalStatus = z.object({
  approval_id: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  run_id: z.string(),
  resolved_at: seconds,
  resolved_by: text,
});
export type ApprovalStatus = z.output<typeof ApprovalStatus>;
