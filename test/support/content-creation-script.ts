/**
 * The fake model's script for the content-creation workflow: which answer each agent gets, told
 * apart by its instructions, and whether its tools have answered yet.
 */
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';

export const RESEARCH_SUMMARY = 'Research summary: agent frameworks lead Hacker News, and NVDA trades at 181.25.';
export const HN_SUMMARY = 'Top story: Agents that never lose work (420 points).';
export const FINANCE_SUMMARY = 'NVDA is at 181.25 USD.';
export const CONTENT_PLAN =
  'Week 1: durable agents explainer, NVDA earnings thread, HN roundup. ' +
  'Week 2: case study, cost chart, Q&A. Week 3: tutorial, interview, poll. Week 4: recap, predictions, newsletter.';

export type Caller = 'leader' | 'hackernews' | 'finance' | 'planner' | 'unknown';

export function callerOf(req: FakeRequest): Caller {
  if (req.toolNames.includes('delegate_task_to_member')) return 'leader';
  if (req.system.includes('Extract key insights')) return 'hackernews';
  if (req.system.includes('Get stock prices')) return 'finance';
  if (req.system.includes('Plan a content schedule')) return 'planner';
  return 'unknown';
}

export function contentCreationReply(req: FakeRequest): FakeReply {
  const answered = req.toolResults.length > 0;
  switch (callerOf(req)) {
    case 'leader':
      return answered
        ? { kind: 'text', text: RESEARCH_SUMMARY }
        : {
            kind: 'tool_calls',
            calls: [
              { name: 'delegate_task_to_member', arguments: { member_id: 'hackernews-agent', task: 'Find AI trends on Hacker News' } },
              { name: 'delegate_task_to_member', arguments: { member_id: 'finance-agent', task: 'Get the NVDA stock price' } },
            ],
          };
    case 'hackernews':
      return answered ? { kind: 'text', text: HN_SUMMARY } : { kind: 'tool_calls', calls: [{ name: 'get_top_hackernews_stories', arguments: { num_stories: 3 } }] };
    case 'finance':
      return answered ? { kind: 'text', text: FINANCE_SUMMARY } : { kind: 'tool_calls', calls: [{ name: 'get_current_stock_price', arguments: { symbol: 'NVDA' } }] };
    case 'planner':
      return { kind: 'text', text: CONTENT_PLAN };
    case 'unknown':
      return { kind: 'error', status: 400, message: `The script has no reply for this request: ${req.system.slice(0, 80)}` };
  }
}
