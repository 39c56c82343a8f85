/**
 * `POST /approvals/{approval_id}/resolve` (AgentOS): answers the question a run waits on, exactly
 * as `/continue` does (the same engine call and wait), with Agno's body: `approved` is
 * `confirmed: true` with `resolution_data` as the step's input, `rejected` is `confirmed: false`.
 * The answer is the approval once the run has ended or paused again, as AgentOS answers with the
 * resolved record; who resolved it and when are in this answer only (the run keeps the answer,
 * not who gave it).
 */
import type { StepRequirement } from '../../contracts/events.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, error, json, jsonBody, ref } from '../openapi/parts.ts';
import { runAfterAnswer } from '../runs/run-after-answer.ts';
import { linkToWebUi } from '../runs/run-answers.ts';
import { approvalOfPath } from './find-approval.ts';
import { approvalIdParameter, approvalIdPatterns, approvalNotFound, noRunStore } from './operation-parts.ts';
import { ApprovalResolve } from './schemas.ts';
import { approvalOf, approvalStatus } from './views.ts';

export const resolveApproval = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/approvals/{approval_id}/resolve',
  paramPatterns: approvalIdPatterns,
  operation: () => ({
    summary: 'Approve or reject: answer the step a run waits on, then wait for the run to end or pause again (AgentOS)',
    parameters: [approvalIdParameter],
    requestBody: jsonBody('ApprovalResolve'),
    responses: {
      '200': answer('The approval resolved, with the run’s status once it ended or paused again', json(ref('ApprovalResponse'))),
      ...bodyErrors('json'),
      '404': approvalNotFound(),
      '409': error('The approval is not pending (the detail says what it is), or another answer was taken first'),
      '503': noRunStore(),
    },
  }),
  find: approvalOfPath,
  body: { schema: ApprovalResolve, accepts: 'json' },
  async handle(c, deps, { found: { run, position, times }, body }) {
    const status = approvalStatus(run, position);
    if (status !== 'pending') throw new HttpError(409, `Approval is already '${status}' and cannot be resolved`);
    const asked = run.step_requirements![position]!;
    const given: StepRequirement = { step_id: asked.step_id, confirmed: body.status === 'approved' };
    if (body.status === 'approved' && asked.requires_user_input) given.user_input = body.resolution_data ?? {};
    const answeredAt = await deps.engine.continueRun(run.run_id, [given]);
    const resolvedAt = Date.now() / 1000;
    linkToWebUi(c, deps, run.run_id);
    const after = await runAfterAnswer(deps, run.run_id, answeredAt);
    const resolvedBy = c.get('caller').userId ?? body.resolved_by ?? undefined;
    return c.json(approvalOf(after, position, { created_at: times.created_at, updated_at: resolvedAt, resolved_at: resolvedAt, resolved_by: resolvedBy }));
  },
});
