/** The pieces the approval routes' OpenAPI operations share: the approval's id in paths, and their errors. */
import { error } from '../openapi/parts.ts';

export const approvalIdParameter = {
  name: 'approval_id',
  in: 'path',
  required: true,
  description: '<run_id>~<n>: the run’s n-th question to a person (from 0), as lists give it.',
  schema: { type: 'string' },
};

export const approvalNotFound = () => error('No such approval (another user’s is reported the same way)');
export const badQuery = () => error('Invalid query (details per parameter)');
export const noRunStore = () => error('This API has no run store to read approvals from, or Temporal or its workers are unavailable');
