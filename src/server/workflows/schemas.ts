/**
 * What the workflow and system routes answer, as AgentOS does: workflows in lists and in detail,
 * `/health` and `/config`.
 */
import { z } from 'zod';
import { none } from '../wire/common.ts';

/** A workflow in lists (AgentOS's WorkflowSummaryResponse): `db_id` is the Temporal namespace runs are kept in. */
export const WorkflowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  db_id: z.string(),
  is_factory: z.boolean(),
  is_component: z.boolean(),
  sandboxed: z.boolean(),
});

/**
 * A step of a workflow as `GET /workflows/{id}` shows it, with the agent or team it runs as
 * AgentOS's AgentResponse / TeamResponse describe them (open: those grow with Agno); groups
 * (Parallel, Loop, ...) list their steps.
 */
export const WorkflowStep: z.ZodType<unknown> = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    type: z.string().optional(),
    step_type: z.string().optional(),
    executor_type: z.string().optional(),
    executor_name: z.string().optional(),
    agent: z.record(z.string(), z.unknown()).optional(),
    team: z.record(z.string(), z.unknown()).optional(),
    get steps() {
      return z.array(WorkflowStep).optional();
    },
  })
  .loose();

export const WorkflowDetail = WorkflowSummary.extend({ steps: z.array(WorkflowStep), workflow_agent: z.boolean() });

const LiveLaneHealth = z.object({
  kind: z.enum(['memory', 'redis', 'off']),
  connected: z.boolean(),
  published: z.number().int(),
  dropped: z.number().int(),
  failed: z.number().int(),
  received: z.number().int(),
});
export const Health = z.object({
  status: z.literal('ok'),
  instantiated_at: z.iso.datetime(),
  live_lane: LiveLaneHealth.describe('Whether token deltas arrive live, and what the lane dropped or failed to carry.'),
});

const DependencyState = z.object({
  status: z.enum(['up', 'down']),
  detail: z.string().optional().describe('What answered (up): `sqlite`, `s3`, `redis`, `in-process`, ...'),
  error: z.string().optional().describe('Why it is down: its error, or that it did not answer in time.'),
  duration_ms: z.number().int().describe('How long the check took.'),
});
/** Ours (AgentOS has no readiness): whether this API process can serve, dependency by dependency. */
export const Readiness = z.object({
  status: z.enum(['ready', 'not_ready', 'shutting_down']),
  checks: z
    .object({ temporal: DependencyState, run_store: DependencyState, blob_store: DependencyState, live_lane: DependencyState })
    .partial()
    .describe('Each dependency, checked side by side, each within its own deadline; none while shutting down.'),
  failing: z.array(z.string()).optional().describe('The dependencies that are down (not_ready).'),
  detail: z.string().optional().describe('Why not ready, in one line (503 only).'),
});

export const OsConfig = z.object({
  os_id: z.string(),
  name: z.string(),
  description: z.string(),
  agents: none,
  teams: none,
  workflows: z.array(WorkflowSummary),
  interfaces: none,
  databases: z.array(z.string()).describe('The Temporal namespace runs are kept in.'),
});
