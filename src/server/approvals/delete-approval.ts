/**
 * `DELETE /approvals/{approval_id}` (AgentOS deletes the approval's record and nothing else). Here
 * an approval is no record of its own but a run's question, kept in the run: deleting it alone
 * would leave a waiting run with nothing to answer it by, or rewrite a run's history. So it is
 * refused with 409 saying what to do instead: resolve it, or cancel the run (while pending), or
 * delete the run's session (once answered). 404 as for any approval the caller cannot see.
 */
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { error } from '../openapi/parts.ts';
import { approvalOfPath } from './find-approval.ts';
import { approvalIdParameter, approvalIdPatterns, approvalNotFound, noRunStore } from './operation-parts.ts';
import { approvalStatus } from './views.ts';

export const deleteApproval = defineRoute<ServerDeps>()({
  method: 'delete',
  path: '/approvals/{approval_id}',
  paramPatterns: approvalIdPatterns,
  operation: () => ({
    summary: 'Refused: an approval is part of its run (resolve it, cancel the run, or delete its session)',
    description: 'AgentOS deletes the approval’s record alone (204). Here an approval is a run’s question, kept with the run, so this always answers 409 for an approval that exists.',
    parameters: [approvalIdParameter],
    responses: {
      '404': approvalNotFound(),
      '409': error('The approval goes with its run: resolve it or cancel the run while it waits; delete the run’s session to delete it once answered'),
      '503': noRunStore(),
    },
  }),
  find: approvalOfPath,
  async handle(_c, _deps, { found: { run, position } }) {
    if (approvalStatus(run, position) === 'pending') {
      throw new HttpError(409, `Run ${run.run_id} waits for this approval: resolve it (POST /approvals/{approval_id}/resolve) or cancel the run; it cannot be deleted on its own.`);
    }
    throw new HttpError(409, `This approval is part of run ${run.run_id}'s history: it is deleted with the run's session (DELETE /sessions/{session_id}), not on its own.`);
  },
});
