/**
 * The queue's wire shapes (Agno's `/queue` router: `QueueJobSchema`, its list filters and its
 * stats): a job is a run as the queue sees it, its id the run's id.
 */
import { z } from 'zod';
import { int, jsonObject, PageMeta } from '../../contracts/wire-schemas/common.ts';
import { MULTITASK_STRATEGIES } from '../../contracts/session-queue-api.ts';
import { id, queryInteger } from '../wire/common.ts';

/** Agno's job statuses; a run's status maps onto them (views.ts). */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'paused'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Agno's `QueueJobSchema`, and the run's place in its session's queue (ours). */
export const QueueJob = z.object({
  id: z.string().describe('The job’s id: its run’s run_id'),
  run_id: z.string(),
  component_type: z.literal('workflow'),
  component_id: z.string().describe('The workflow the run executes'),
  session_id: z.string(),
  job_type: z.literal('run'),
  user_id: z.string().nullable(),
  payload: jsonObject.describe('What the run was started with: message, session_id, user_id, metadata'),
  status: z.enum(JOB_STATUSES),
  queue_position: int.min(1).nullable().describe('A queued run’s place in its session’s queue: 1 starts next (ours)'),
  attempt: int.min(0).describe('Executions started so far: 0 while queued'),
  max_attempts: int.min(1),
  idempotency_key: z.string().nullable(),
  available_at: int.nullable(),
  locked_by: z.string().nullable(),
  locked_at: int.nullable(),
  error: z.string().nullable(),
  created_at: int.nullable(),
  updated_at: int.nullable(),
  completed_at: int.nullable(),
});
export type QueueJob = z.infer<typeof QueueJob>;

export const QueueJobsPage = z.object({ data: z.array(QueueJob), meta: PageMeta });

/** `GET /jobs` (Agno's list filters); `status` and `session_id` may be repeated to match any of several. */
export const QueueJobsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional().describe('Repeat to match any of several statuses'),
  session_id: id.optional().describe('Repeat to match any of several sessions'),
  user_id: id.optional().describe('A caller bound to a user lists that user’s jobs only, whatever this says'),
  limit: queryInteger(1, 1000).default(20),
  page: queryInteger(1, 1_000_000).default(1),
  sort_by: z.string().max(64).default('created_at').describe('created_at or updated_at; other fields sort by created_at'),
  sort_order: z.enum(['asc', 'desc']).default('desc'),
});

/** `POST /jobs/{job_id}/requeue`: the strategy of the new run in its session (default the deployment’s). */
export const RequeueQuery = z.object({ multitask_strategy: z.enum(MULTITASK_STRATEGIES).optional() });

/** Agno's queue stats, with the bound of the queue (ours). */
export const QueueStats = z.object({
  counts: z.record(z.enum(JOB_STATUSES), int.min(0)).describe('Jobs by status'),
  oldest_queued_age_seconds: int.min(0).nullable().describe('Age of the oldest run waiting to start; null when none waits'),
  queue_depth: int.min(0).describe('Runs waiting to start (ours)'),
  max_queue_depth: int.min(0).describe('Past it a start answers 429; 0: no bound (ours)'),
});
