/** The approval a route's path names (`approval_id`), as the caller may see it, or a 404 as AgentOS words it. */
import type { Context } from 'hono';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { findApproval } from './stored-approvals.ts';
import type { FoundApproval } from './stored-approvals.ts';

export async function approvalOfPath(c: Context<AppEnv>, deps: ServerDeps): Promise<FoundApproval> {
  const found = await findApproval(deps, c.get('caller'), c.req.param('approval_id')!);
  if (!found) throw new HttpError(404, 'Approval not found');
  return found;
}
