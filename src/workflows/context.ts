/**
 * What every executor (agent, team, function step) of one run shares while it runs.
 */
import type { ExecutorRunMetrics, ExecutorRunRecord, RunRequirement, StepFields } from '../contracts/events.ts';
import type { AgentCheckpoint } from '../contracts/plan.ts';
import type { ReusedCalls } from '../contracts/reused-calls.ts';
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
  /** Token usage of the current step, summed over all its model calls (see run-metrics.ts). */
  usage: ExecutorRunMetrics;
  /** Where the run of an agent or team goes once it ended: the step's runs, or its team's members'. */
  recordRun?(run: ExecutorRunRecord): void;
  /**
   * Set in an agent's or team's own run (a `runnable` plan): where its earlier runs of the session
   * are, for one that adds them to its context. A team's members never read it.
   */
  sessionHistory?: { workflowId: string; sessionId: string };
  /**
   * Set inside the agent or team of a top-level step: the reuse key of the current executor (its
   * calls' keys start with it), and the calls a retry of the run answers from the failed attempt
   * (see reused-calls.ts). Absent elsewhere: calls there are always made.
   */
  calls?: { key: string; reused?: ReusedCalls };
  /**
   * Set for the agent of an agent's own run, and for a team's own run and its members (through
   * the team, `askThroughTeam`): holds the run (PAUSED, its agent's or team's run as `paused`
   * shows it) until a person answers the tool calls it waits on, and gives back the answers (see tool-pauses.ts).
   */
  askTools?(requirements: RunRequirement[], paused: ExecutorRunRecord): Promise<RunRequirement[]>;
}

/** What running one tool call gave the model loop. */
export interface ToolOutcome {
  output: string;
  isError: boolean;
  /** Ends the loop with `output` as the final content (a team in route mode). */
  final?: boolean;
}

/** Where an agent stands between two model turns. */
export type AgentTurns = Pick<AgentCheckpoint, 'agentRunId' | 'run' | 'nextTurn' | 'conversation' | 'usage'>;

/** Lets the agent of a top-level step continue as new between its turns (see continue-as-new.ts). */
export interface TurnCheckpoints {
  /** Where this execution resumes the agent, when an earlier one stopped inside it. */
  resume?: AgentTurns;
  /** A safe point between turns: may continue the run as new (and then never returns). */
  checkpoint(turns: AgentTurns): Promise<void>;
}

/** `Research Team › Finance Agent`, the prefix of activity summaries in the Web UI. */
export function summaryPrefix(ctx: ExecutionContext): string {
  return ctx.path.join(' › ');
}
