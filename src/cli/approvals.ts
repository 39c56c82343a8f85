/** `approvals list|show|resolve`: the questions runs ask people (`/approvals`), read and answered from the command line. */
import type { Approval } from '../client/client.ts';
import type { CommandContext } from './usage.ts';
import { jsonObject, need, UsageError, wholeNumber } from './usage.ts';

export interface ApprovalOptions {
  workflow?: string;
  user?: string;
  limit?: string;
  reject: boolean;
  input?: string;
  by?: string;
}

export async function approvalsCommand(ctx: CommandContext, [action, id]: string[], options: ApprovalOptions): Promise<number> {
  const { client, print, json } = ctx;
  switch (action) {
    case 'list': {
      const page = await client.listApprovals({ workflowId: options.workflow, userId: options.user, limit: wholeNumber(options.limit, '--limit') });
      if (json) print(JSON.stringify(page));
      else for (const approval of page.data) print(describe(ctx, approval));
      return 0;
    }
    case 'show': {
      const approval = await client.getApproval(need(id, 'approval id'));
      if (json) print(JSON.stringify(approval));
      else {
        print(describe(ctx, approval));
        const requirement = approval.requirements[0] ?? {};
        const question = requirement.confirmation_message ?? requirement.user_input_message;
        if (typeof question === 'string') print(`  ${question}`);
        if (approval.resolution_data) print(`  input: ${JSON.stringify(approval.resolution_data)}`);
      }
      return 0;
    }
    case 'resolve': {
      const resolved = await client.resolveApproval(need(id, 'approval id'), {
        status: options.reject ? 'rejected' : 'approved',
        resolutionData: jsonObject(options.input, '--input'),
        resolvedBy: options.by,
      });
      print(json ? JSON.stringify(resolved) : `${resolved.status}: run ${resolved.run_id} is ${resolved.run_status}`);
      return 0;
    }
    default:
      throw new UsageError(action ? `unknown approvals action ${action}` : 'missing approvals action (list, show, resolve)');
  }
}

function describe({ style }: CommandContext, approval: Approval): string {
  const step = typeof approval.context.step_name === 'string' ? approval.context.step_name : '';
  return `${style.bold(approval.id)}  ${approval.status.padEnd(9)}  ${approval.pause_type.padEnd(12)}  ${approval.workflow_id}  ${step}  ${style.dim(`run ${approval.run_status}`)}`;
}
