/**
 * The fake model's script for the parity runs: the content-creation script, plus two inputs that
 * change how the run goes, on both servers alike. The research leader sees the workflow input and
 * marks its summary; the content planner sees only that summary (the previous step's content),
 * and answers by the mark:
 * - `FAIL` in the input: the planner's model call is refused (400, not retried by us): the run fails in step 2;
 * - `SLOW` in the input: the planner's answer comes after a pause, long enough to cancel the run mid-step.
 */
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';
import { CONTENT_PLAN, RESEARCH_SUMMARY, callerOf, contentCreationReply } from '../support/content-creation-script.ts';
import { tradeDeskReply } from './trade-desk.ts';

export const FAILING_INPUT = 'AI trends in 2024 (FAIL)';
export const SLOW_INPUT = 'AI trends in 2024 (SLOW)';
export const PLANNER_REFUSAL = 'The content planner refuses this topic.';

const FAIL_MARK = ' [planner fails]';
const SLOW_MARK = ' [planner is slow]';

function userSaid(req: FakeRequest, text: string): boolean {
  return req.messages.some((m) => m.role === 'user' && m.content.includes(text));
}

/** A planner request of a run started with `SLOW_INPUT`: the run to cancel has reached step 2. */
export function isSlowPlannerRequest(req: FakeRequest): boolean {
  return callerOf(req) === 'planner' && userSaid(req, SLOW_MARK);
}

export function parityReply(req: FakeRequest): FakeReply {
  const desk = tradeDeskReply(req);
  if (desk) return desk;
  const caller = callerOf(req);
  if (caller === 'leader' && req.toolResults.length > 0) {
    const mark = userSaid(req, '(FAIL)') ? FAIL_MARK : userSaid(req, '(SLOW)') ? SLOW_MARK : '';
    return { kind: 'text', text: RESEARCH_SUMMARY + mark };
  }
  if (caller === 'planner' && userSaid(req, FAIL_MARK)) return { kind: 'error', status: 400, message: PLANNER_REFUSAL };
  // A pause before the answer, not slow chunks: a background run of Agno's asks without streaming.
  if (caller === 'planner' && userSaid(req, SLOW_MARK)) return { kind: 'text', text: CONTENT_PLAN, delayMs: 6_000 };
  return contentCreationReply(req);
}
