/**
 * What every executor (agent, team, function step) of one run shares while it runs.
 */
import type { StepFields, TokenMetrics } from '../contracts/events.ts';
import type { AgentCheckpoint } from '../contracts/plan.ts';
import type { RunActivities } from './activity-proxies.ts';
import type { EventLog } from './event-log.ts';

export interface ExecutionContext {
  log: EventLog;
  activities: RunActivities;
  workflowId: string;
  /** Names from the step's executor down to the current one, shown in activity summaries. */
  path: string[];
  /** Step fields every event of the current step carries. */
  stepFields: StepFields;
  /** Token usage of the current step, summed over all its model calls. */
  usage: TokenMetrics;
}

/** Where an agent stands between two model turns. */
export type AgentTurns = Pick<AgentCheckpoint, 'agentRunId' | 'nextTurn' | 'conversation' | 'usage'>;

/** Lets the agent of a top-level step continue as new between its turns (see continue-as-new.ts). */
export interface TurnCheckpoints {
  /** Where this execution resumes the agent, when an earlier one stopped inside it. */
  resume?: AgentTurns;
  /** A safe point between turns: may continue the run as new (and then never returns). */
  checkpoint(turns: AgentTurns): Promise<void>;
}

export function addUsage(total: TokenMetrics, more: TokenMetrics): void {
  total.input_tokens += more.input_tokens;
  total.output_tokens += more.output_tokens;
  total.total_tokens += more.total_tokens;
}

export function emptyUsage(): TokenMetrics {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** `Research Team › Finance Agent`, the prefix of activity summaries in the Web UI. */
export function summaryPrefix(ctx: ExecutionContext): string {
  return ctx.path.join(' › ');
}
