/**
 * The run event model, named as Agno names it so that Agno's clients understand our streams.
 *
 * Every event of a run carries the same base fields and an `event_index`: per run, from 0,
 * gapless and never reused. The run's Temporal workflow assigns it, so it survives worker crashes
 * and activity retries.
 */

import type { RunMetrics } from './metrics.ts';
import type { ExecutorEventFields } from './executor-events.ts';
import type { CancellationStage, StepRequirement, StepResult } from './run-details.ts';
import type { TokenTotals } from './token-totals.ts';
import type { AgentContentChunkFields, ContentChunkFields } from './content-chunks.ts';
import type { ExecutorRunOutput, ExecutorRunRecord } from './executor-runs.ts';

export type { ToolExecution } from './executor-events.ts';
export type { ExecutorRunOutput, ExecutorRunRecord, RunMessage } from './executor-runs.ts';
export type { ExecutorRunMetrics, ModelCallTiming, ModelTokens, RunMetrics, TokenMetrics } from './metrics.ts';
export type { CancellationStage, RequirementStepInput, StepRequirement, StepResult, StepType } from './run-details.ts';
export { waitingRequirement } from './run-details.ts';

export const RUN_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'ERROR', 'CANCELLED', 'PAUSED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'ERROR', 'CANCELLED'];

export const WORKFLOW_EVENTS = [
  'WorkflowStarted',
  'WorkflowCompleted',
  'WorkflowError',
  'WorkflowCancelled',
  'WorkflowPaused',
  'WorkflowReset',
  'StepStarted',
  'StepCompleted',
  'StepError',
  'StepContinued',
  'ParallelExecutionStarted',
  'ParallelExecutionCompleted',
  'ConditionExecutionStarted',
  'ConditionExecutionCompleted',
  'LoopExecutionStarted',
  'LoopIterationStarted',
  'LoopIterationCompleted',
  'LoopExecutionCompleted',
  'RouterExecutionStarted',
  'RouterExecutionCompleted',
  'StepsExecutionStarted',
  'StepsExecutionCompleted',
] as const;

export const AGENT_EVENTS = [
  'RunStarted',
  'ModelRequestStarted',
  'RunContent',
  'ModelRequestCompleted',
  'RunContentCompleted',
  'RunCompleted',
  'RunError',
  'ToolCallStarted',
  'ToolCallCompleted',
] as const;

export const TEAM_EVENTS = [
  'TeamRunStarted',
  'TeamModelRequestStarted',
  'TeamRunContent',
  'TeamModelRequestCompleted',
  'TeamRunContentCompleted',
  'TeamRunCompleted',
  'TeamRunError',
  'TeamToolCallStarted',
  'TeamToolCallCompleted',
] as const;

export type WorkflowEventName = (typeof WORKFLOW_EVENTS)[number];
export type AgentEventName = (typeof AGENT_EVENTS)[number];
export type TeamEventName = (typeof TEAM_EVENTS)[number];
export type EventName = WorkflowEventName | AgentEventName | TeamEventName;

export const EVENT_NAMES = [...WORKFLOW_EVENTS, ...AGENT_EVENTS, ...TEAM_EVENTS] as const;

/**
 * The events that end a run's log, when they are its last event. A failed run that is retried
 * continues its log after its `WorkflowError`, so readers end a stream at a terminal event only
 * when nothing follows it.
 */
export const TERMINAL_EVENTS: readonly EventName[] = ['WorkflowCompleted', 'WorkflowError', 'WorkflowCancelled'];

/** Whether a log whose newest event is `last` has ended (for now: a retry may continue it). */
export function isEndOfLog(last: RunEvent | undefined): boolean {
  return last !== undefined && TERMINAL_EVENTS.includes(last.event);
}

/** Fields every event carries. */
export interface BaseEvent<N extends EventName = EventName> {
  event: N;
  /** Position in the run's log: from 0, gapless, never reused. */
  event_index: number;
  /** Unix time in seconds, as Agno writes it. */
  created_at: number;
  /**
   * The workflow run (the Temporal workflow id) on workflow and step events; on agent and team
   * events, as in Agno, the agent's or team's own run, with the workflow run in `workflow_run_id`.
   */
  run_id: string;
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  /**
   * Agno's nesting of workflows: 0 here, for every event, as a nested workflow runs as a child
   * workflow with a log of its own (Agno adds 1 when it relays a nested workflow's events).
   * Absent on events recorded before it was sent.
   */
  nested_depth?: number;
}

/** The step (or group: Parallel, Loop, ...) an event belongs to; `step_index` is its top-level position. */
export interface StepFields {
  step_id: string;
  step_name: string;
  step_index: number;
}

/** Agno's identity fields of an agent's or team's events. */
export interface ExecutorRunFields {
  /** The agent's or team's own run. */
  run_id: string;
  /** The workflow run the agent or team runs in. */
  workflow_run_id: string;
  /** On a team member's events: the run of the team that delegated to it. */
  parent_run_id?: string;
}

export interface AgentIdentity extends ExecutorRunFields {
  agent_id: string;
  agent_name: string;
}

export interface TeamIdentity extends ExecutorRunFields {
  team_id: string;
  team_name: string;
}

/** Who produced an agent or team event. */
export type ExecutorIdentity = AgentIdentity | TeamIdentity;

type AgentEventFields<K extends keyof ExecutorEventFields> = StepFields & AgentIdentity & ExecutorEventFields[K];
type TeamEventFields<K extends keyof ExecutorEventFields> = StepFields & TeamIdentity & ExecutorEventFields[K];

/** A group's step results, as its completed event lists them. */
interface GroupResults {
  step_results: StepResult[];
}

/**
 * The fields of each event beyond `BaseEvent`: what workflow code emits it with. The names and
 * fields are Agno's, so that Agno's clients read our streams.
 */
export interface EventFieldsByName {
  /** `attempt` and `resumed_from_step` on the start of a retry of a failed run. */
  WorkflowStarted: { input: string; attempt?: number; resumed_from_step?: string };
  /**
   * `metadata`: the run's, as given on start; `step_executor_runs`: the runs of the steps' agents
   * and teams (see executor-runs.ts). Both absent on events recorded before they were sent.
   */
  WorkflowCompleted: {
    content: string;
    content_type: string;
    status: 'COMPLETED';
    step_results: StepResult[];
    metrics: RunMetrics;
    metadata?: Record<string, unknown>;
    step_executor_runs?: ExecutorRunOutput[];
  };
  /** The step fields name the step that was running, when one was. */
  WorkflowError: { status: 'ERROR'; error: string } & Partial<StepFields>;
  WorkflowCancelled: { status: 'CANCELLED'; reason: string; content: string } & Partial<StepFields>;
  /** The run waits: for a person (`pause_kind: 'step'`, Agno's `step_requirements`), or for a retry or abort after the step failed. */
  WorkflowPaused: { status: 'PAUSED'; paused_step_name: string; paused_step_index: number } & StepFields &
    ({ pause_kind: 'step'; step_requirements: StepRequirement[] } | { pause_kind?: never; error: string });
  /**
   * An operator reset the run in Temporal (Web UI, CLI): the events before this one are the log
   * as it was (the attempt that was reset included); the run goes on after it from its state at
   * event `reset_point_index`, redoing what came after that point.
   */
  WorkflowReset: { status: 'RUNNING'; reason: string; reset_point_index: number; base_execution_id: string; execution_id: string };
  /** `attempt`: 2, 3, ... when the step runs again after a pause. */
  StepStarted: StepFields & { attempt?: number };
  StepCompleted: StepFields & { content: string; content_type: string; step_response: StepResult };
  /** The step failed and was skipped, or was not run (rejected, or nobody answered in time). */
  StepError: StepFields & { error: string };
  /** A person answered the paused step; `step_requirements` is empty when nobody did in time. */
  StepContinued: StepFields & { step_requirements: StepRequirement[] };
  ParallelExecutionStarted: StepFields & { parallel_step_count: number };
  ParallelExecutionCompleted: StepFields & { parallel_step_count: number } & GroupResults;
  ConditionExecutionStarted: StepFields & { condition_result: boolean };
  ConditionExecutionCompleted: StepFields & { condition_result: boolean; branch: 'if' | 'else'; executed_steps: number } & GroupResults;
  LoopExecutionStarted: StepFields & { max_iterations: number };
  LoopIterationStarted: StepFields & { iteration: number; max_iterations: number };
  LoopIterationCompleted: StepFields & { iteration: number; max_iterations: number; should_continue: boolean };
  LoopExecutionCompleted: StepFields & { total_iterations: number; max_iterations: number };
  RouterExecutionStarted: StepFields & { selected_steps: string[] };
  RouterExecutionCompleted: StepFields & { selected_steps: string[]; executed_steps: number } & GroupResults;
  StepsExecutionStarted: StepFields & { steps_count: number };
  StepsExecutionCompleted: StepFields & { steps_count: number; executed_steps: number } & GroupResults;
  RunStarted: AgentEventFields<'Started'>;
  ModelRequestStarted: AgentEventFields<'ModelRequestStarted'>;
  RunContent: AgentEventFields<'Content'> & AgentContentChunkFields;
  ModelRequestCompleted: AgentEventFields<'ModelRequestCompleted'>;
  RunContentCompleted: AgentEventFields<'ContentCompleted'>;
  RunCompleted: AgentEventFields<'Completed'>;
  RunError: AgentEventFields<'Error'>;
  ToolCallStarted: AgentEventFields<'ToolCallStarted'>;
  ToolCallCompleted: AgentEventFields<'ToolCallCompleted'>;
  TeamRunStarted: TeamEventFields<'Started'>;
  TeamModelRequestStarted: TeamEventFields<'ModelRequestStarted'>;
  TeamRunContent: TeamEventFields<'Content'> & ContentChunkFields;
  TeamModelRequestCompleted: TeamEventFields<'ModelRequestCompleted'>;
  TeamRunContentCompleted: TeamEventFields<'ContentCompleted'>;
  TeamRunCompleted: TeamEventFields<'Completed'>;
  TeamRunError: TeamEventFields<'Error'>;
  TeamToolCallStarted: TeamEventFields<'ToolCallStarted'>;
  TeamToolCallCompleted: TeamEventFields<'ToolCallCompleted'>;
}

/** The fields event `N` is emitted with (a union of them for a union of names). */
export type EventFields<N extends EventName> = EventFieldsByName[N];

/** The event named `N`: `RunEventOf<'ToolCallStarted'>` has its `tool`. */
export type RunEventOf<N extends EventName> = { [K in N]: BaseEvent<K> & EventFieldsByName[K] }[N];

/** Any event of a run; `event` tells which, and narrowing on it gives that event's fields. */
export type RunEvent = RunEventOf<EventName>;

/** Events of an agent's or a team leader's run: they carry the agent's or team's identity. */
export type ExecutorEvent = RunEventOf<AgentEventName | TeamEventName>;

/** What the run's `state` query answers: enough to render a run without reading its events. */
export interface RunState {
  run_id: string;
  workflow_id: string;
  workflow_name: string;
  session_id: string;
  user_id?: string;
  input: string;
  status: RunStatus;
  current_step?: string;
  step_results: StepResult[];
  content?: string;
  error?: string;
  metrics: RunMetrics;
  /** Unix seconds. */
  created_at: number;
  /** Index of the newest event, -1 before the first. */
  last_event_index: number;
  /** What the run asked people, with the answers (Agno keeps them); while it waits for one, the newest (`waitingRequirement`). */
  step_requirements?: StepRequirement[];
  /** While the run is paused: `step` when it waits for a person (absent when held after a failure), and the step it waits at. */
  pause_kind?: 'step';
  paused_step_name?: string;
  paused_step_index?: number;
  /** The run's metadata, as given on start. */
  metadata?: Record<string, unknown>;
  /** Set when the run was cancelled by its own code (not when terminated). */
  cancellation_stage?: CancellationStage;
  /** The runs of the steps' agents and teams, as recorded: the latest `EXECUTOR_RUNS_KEPT` (absent in runs recorded before). */
  step_executor_runs?: ExecutorRunRecord[];
}

/** A run as the API returns it: Agno's `WorkflowRunOutput.to_dict()` keys. */
export interface RunOutputDict extends Omit<RunState, 'last_event_index' | 'current_step' | 'metrics' | 'metadata' | 'step_executor_runs'> {
  content_type: string;
  /** Each run of a step's agent or team, with its messages, tool calls and metrics (Agno's `step_executor_runs`). */
  step_executor_runs?: ExecutorRunOutput[];
  /** The run's metadata as given on start; `{}` when none was. */
  metadata: Record<string, unknown>;
  /** Agno's media of a run's output: always empty, as steps here produce text. */
  images: unknown[];
  videos: unknown[];
  audio: unknown[];
  files: unknown[];
  metrics?: RunMetrics;
  /** The run's log from its start, when asked for, within a byte budget (`RunReadOptions`); `events_truncated` when cut. */
  events?: RunEvent[];
  events_truncated?: true;
  /** Why `events` stops short: the answer's byte budget, or what kept the log from being read (a lost segment). */
  events_truncated_reason?: string;
}

/** A run as lists show it, from Temporal visibility alone; `tokens` from its memo (absent in runs recorded before). */
export type RunSummary = Pick<RunState, 'run_id' | 'workflow_id' | 'workflow_name' | 'session_id' | 'user_id' | 'input' | 'status' | 'created_at'> & { tokens?: TokenTotals };

/** A batch of token deltas sent by one model call attempt to its workflow. */
export interface ContentDeltaBatch {
  /** Identifies the model call inside the run (stable across attempts). */
  callId: string;
  attempt: number;
  /** Character offset of `text` within this attempt's streamed content. */
  offset: number;
  text: string;
}
