/**
 * The queue's wire shapes (Agno's `/queue` router: `QueueJobSchema` and its stats): a job is a run
 * as the queue sees it, its id the run's id. Shared by the API (which answers with them) and the client.
 */
import { z } from 'zod';
import { int, jsonObject, PageMeta } from './common.ts';

/** Agno's job statuses; a run's status maps onto them (views.ts). */
import { JOB_STATUSES } from '../job-statuses.ts';
export { JOB_STATUSES };
export type { JobStatus } from '../job-statuses.ts';

/** Agno's `QueueJobSchema`, and the run's place in its session's queue (ours). */
export const QueueJob = z.object({
  id: z.string().describe('The job’s id: its run’s run_id'),
  run_id: z.string(),
  component_type: z.literal('workflow'),
  component_id: z.string().describe('The workflow the run executes'),
  session_id: z.string(),
  job_type: z.literal('run'),
  user_id: z.string().nullable(),
  payload: jsonObject.describe('What the run was started with, as Agno’s ticket keeps it: `input` (the message) and `kwargs` (its metadata)'),
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

/** Agno's queue stats, with the bound of the queue (ours). */
export const QueueStats = z.object({
  counts: z.partialRecord(z.enum(JOB_STATUSES), int.min(0)).describe('Jobs by status: only statuses some job has'),
  oldest_queued_age_seconds: int.min(0).nullable().describe('Age of the oldest run waiting to start; null when none waits'),
  queue_depth: int.min(0).describe('Runs waiting to start (ours)'),
  max_queue_depth: int.min(0).describe('Past it a start answers 429; 0: no bound (ours)'),
});
export type QueueStats = z.infer<typeof QueueStats>;
