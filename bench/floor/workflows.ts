/**
 * The durable floor: the least a Temporal workflow written directly on the SDK needs to do the
 * work of one content-creation run, in the same shape. 7 model-call activities and 2 tool-call
 * activities, with the same dependencies:
 *
 *   leader 1 ─┬─ hackernews 1 → tool get_top_hackernews_stories → hackernews 2 ─┬─ leader 2 → planner 1
 *             └─ finance 1    → tool get_current_stock_price    → finance 2    ─┘
 *
 * No event log, no signals, no queries, no search attributes, no heartbeats, no plan: only the
 * activities and their results. Deterministic workflow code (bundled for the worker's sandbox).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { FloorActivities } from './activities.ts';

const { floorModel, floorTool } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 8 },
});

async function member(caller: 'hackernews' | 'finance', input: string): Promise<string> {
  const first = await floorModel({ call: `${caller}-1`, input });
  const tool = await floorTool({ tool: caller === 'hackernews' ? 'hackernews' : 'yahoo' });
  return (await floorModel({ call: `${caller}-2`, input: `${first.content}\n${tool}` })).content;
}

export async function FloorRun(topic: string): Promise<string> {
  const delegation = await floorModel({ call: 'leader-1', input: topic });
  const answers = await Promise.all([member('hackernews', delegation.content), member('finance', delegation.content)]);
  const research = await floorModel({ call: 'leader-2', input: answers.join('\n') });
  return (await floorModel({ call: 'planner-1', input: research.content })).content;
}
