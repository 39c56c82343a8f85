/** The pieces the approval routes' OpenAPI operations share: the approval's id in paths, and their errors. */
import { error } from '../openapi/parts.ts';

/** What an approval id looks like (views.ts): a path of another shape names no approval (`/approvals/count`). */
export const APPROVAL_ID_PATTERN = '[^/]+~[0-9]+';

/** The routes' `paramPatterns`. */
export const approvalIdPatterns = { approval_id: APPROVAL_ID_PATTERN };

export const approvalIdParameter = {
  name: 'approval_id',
  in: 'path',
  required: true,
  description: '<run_id>~<n>: the run’s n-th question to a person (from 0), as lists give it.',
  schema: { type: 'string', pattern: `^${APPROVAL_ID_PATTERN}$` },
};

export const approvalNotFound = () => error('No such approval (another user’s is reported the same way)');
export const badQuery = () => error('Invalid query (details per parameter)');
export const noRunStore = () => error('This API has no run store to read approvals from, or Temporal or its workers are unavailable');
