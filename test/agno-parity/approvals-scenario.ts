/**
 * The scenario's approvals. AgentOS makes an approval only for an agent's or team's tool that
 * requires one, never for a workflow step a person confirms; here each such step is one (ADR
 * 0016). So with no run waiting, both answer the same empty list and count and the same 404s for
 * an approval neither has; the reviewed run's question, answered, is ours alone.
 */
import { REVIEWED_WORKFLOW } from './scenario-parts.ts';
import type { Wire } from './wire.ts';

const UNKNOWN = '/approvals/no-such-approval';

export async function approvals(wire: Wire, reviewedRunId: string): Promise<void> {
  await wire.send('approvals: list', 'GET', '/approvals');
  await wire.send('approvals: list of pending ones of a workflow', 'GET', '/approvals', { query: { status: 'pending', workflow_id: REVIEWED_WORKFLOW } });
  await wire.send('approvals: count', 'GET', '/approvals/count');
  await wire.send('approvals: unknown', 'GET', UNKNOWN);
  await wire.send('approvals: unknown, with an id of our form', 'GET', `/approvals/${encodeURIComponent('no-such-run~0')}`);
  await wire.send('approvals: status of an unknown one', 'GET', `${UNKNOWN}/status`);
  await wire.send('approvals: resolve an unknown one', 'POST', `${UNKNOWN}/resolve`, { json: { status: 'approved' } });
  await wire.send('approvals: delete an unknown one', 'DELETE', UNKNOWN);
  // Our id of the reviewed run's first question (ADR 0016); no approval of Agno's has it.
  await wire.send('approvals: the reviewed run’s question', 'GET', `/approvals/${encodeURIComponent(`${reviewedRunId}~0`)}`);
}
