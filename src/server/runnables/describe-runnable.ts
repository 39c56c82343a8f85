/** An agent or team as AgentOS describes it: as a workflow's step describes its executor, with where its runs are kept. */
import type { Runnable } from '../../definitions/runnable.ts';
import { describeMember } from '../workflows/describe-workflow.ts';

export function describeRunnable(runnable: Runnable, dbId: string): Record<string, unknown> {
  const step = runnable.toPlan().steps[0]!;
  if (!('executor' in step) || (step.executor.kind !== 'agent' && step.executor.kind !== 'team')) throw new Error(`${runnable.id} is not an agent or team`);
  return { ...describeMember(step.executor.kind === 'agent' ? step.executor.agent : step.executor.team), db_id: dbId };
}
