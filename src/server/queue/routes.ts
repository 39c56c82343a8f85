/** The queue routes (Agno's `/queue` router, served at the root): jobs and stats, in the order the OpenAPI document lists them. */
import { getJob } from './get-job.ts';
import { listJobs } from './list-jobs.ts';
import { requeueJob } from './requeue-job.ts';
import { queueStats } from './stats.ts';

export const QUEUE_ROUTES = [listJobs, getJob, requeueJob, queueStats];
