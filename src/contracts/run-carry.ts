/**
 * What a run carries from one Temporal execution to the next: into a retry of a failed attempt
 * (`RunResume`), and into the next execution when it continues as new (`RunContinuation`), its
 * event log archived in segments either way (see docs/adr/0006-bytes-beside-the-run.md). A fork
 * of a run starts as a continuation made from the source run's log and results (`RunFork`, see
 * docs/adr/0018-fork-from-a-step.md).
 */
import type { ConversationState } from './conversation.ts';
import type { ExecutorRunRecord } from './executor-runs.ts';
import type { ExecutorRunMetrics, RunEvent, StepResult } from './events.ts';

/** Carried from a failed attempt into its retry, so the retry starts at the failed step. */
export interface RunResume {
  /** 2 for the first retry, and so on. */
  attempt: number;
  /** The earlier attempts' log, archived: the retry's events continue after it. */
  log?: CarriedLog;
  /** The earlier attempts' whole log inline: how retries started before logs were archived. */
  events?: RunEvent[];
  /** Results of the steps that completed; they are not run again. The earlier attempts' agent and team runs go on being shown. */
  stepResults: StepResult[];
  executorRuns?: ExecutorRunRecord[];
  /** Unix seconds when the first attempt started. */
  createdAt: number;
}

/** The run a fork was made from, and where: kept on the fork's input, so its every execution knows it. */
export interface RunFork {
  runId: string;
  stepName: string;
  stepIndex: number;
  /** The Loop iteration the fork starts at, when it was forked inside a top-level Loop. */
  iteration?: number;
}

/** Events `first`..`last` of a run's log, stored in the blob store as one JSON array. */
export interface LogSegment {
  key: string;
  first: number;
  last: number;
  bytes: number;
}

/** A run's log as one execution hands it to the next: archived segments, in order, and the next index. */
export interface CarriedLog {
  segments: LogSegment[];
  next: number;
}

/**
 * What a run carries into its next execution when it continues as new, so the run goes on where
 * it stopped, invisibly from the outside: same run id, gapless event indexes, same results.
 * Runs continue only at safe points (no activity in flight): between top-level steps, between the
 * iterations of a top-level Loop, between the turns of an agent that is a top-level step.
 */
export interface RunContinuation {
  log: CarriedLog;
  /** Results of the top-level steps completed so far, and the runs of their agents and teams (absent before they were carried). */
  stepResults: StepResult[];
  executorRuns?: ExecutorRunRecord[];
  /** Content of every step completed so far, by name (Agno's `previousStepOutputs`). */
  outputs: Record<string, string>;
  /** Unix seconds when the run's first execution started. */
  createdAt: number;
  /** When this attempt of the run started (ms since the epoch), for its duration. */
  startedAtMs: number;
  /** The top-level step to go on at. */
  stepIndex: number;
  /** Where inside that step, when the run stopped inside it. */
  inside?: StepCheckpoint;
}

/** The inner results a Loop's own result lists, and its checkpoint carries: those of its latest iterations. */
export const LOOP_RESULTS_KEPT = 100;

export type StepCheckpoint = LoopCheckpoint | AgentCheckpoint;

/** A top-level Loop between two iterations. */
export interface LoopCheckpoint {
  kind: 'loop';
  nextIteration: number;
  /** Content the next iteration starts from (the last iteration's). */
  content: string;
  /** The latest results of the loop's steps (at most `LOOP_RESULTS_KEPT`). */
  results: StepResult[];
}

/** An agent (the executor of a top-level step) between two model turns. */
export interface AgentCheckpoint {
  kind: 'agent';
  /** The step's attempt (2, 3, ... after pauses) and when it started (ms since the epoch). */
  attempt: number;
  stepStartedAtMs: number;
  /** The agent's own run id, on all its events, and its run so far (absent in checkpoints made before it was carried). */
  agentRunId: string;
  run?: ExecutorRunRecord;
  nextTurn: number;
  conversation: ConversationState;
  /** Token usage of the step so far. */
  usage: ExecutorRunMetrics;
  /** What a person entered for the step, when it asked. */
  userInput?: Record<string, unknown>;
}
