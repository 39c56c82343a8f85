/** The pieces the queue routes' OpenAPI operations share. */
import { error } from '../openapi/parts.ts';

export const jobIdParameter = { name: 'job_id', in: 'path', required: true, description: 'The job’s id: its run’s run_id.', schema: { type: 'string' } };
export const jobNotFound = () => error('No such job (another user’s is reported the same way)');
export const noQueueStore = () => error('This API has no run store to read the queue from');
