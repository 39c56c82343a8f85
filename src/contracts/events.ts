/**
 * The run event model, named as Agno names it so that Agno's clients understand our streams.
 *
 * Every event of a run carries the same base fields and an `event_index`: per run, from 0,
 * gapless and never reused. The run's Temporal workflow assigns it, so it survives worker crashes
 * and activity retries.
 */

export const RUN_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'ERROR', 'CANCELLED', 'PAUSED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'ERROR', 'CANCELLED'];

export const WORKFLOW_EVENTS = [
  'WorkflowStarted',
  'WorkflowCompleted',
  'WorkflowError',
  'WorkflowCancelled',
  'WorkflowPaused',
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
  'RunContent',
  'RunCompleted',
  'RunError',
  'ToolCallStarted',
  'ToolCallCompleted',
] as const;

export const TEAM_EVENTS = [
  'TeamRunStarted',
  'TeamRunContent',
  'TeamRunCompleted',
  'TeamRunError',
  'TeamToolCallStarted',
  'TeamToolCallCompleted',
] as const;

export type WorkflowEventName = (typeof WORKFLOW_EVENTS)[number];
export type AgentEventName = (typeof AGENT_EVENTS)[number];
export type TeamEventName = (typeof TEAM_EVENTS)[number];
export type EventName = WorkflowEventName | AgentEventName | TeamEventName;

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

/** A tool call as Agno's `ToolExecution.to_dict()` shows it. */
export interface ToolExecution {
  tool_call_id: string;
  tool_name: string;
  tool_args: Record<string, unknown>;
  tool_call_error?: boolean;
  result?: string;
  created_at: number;
}

/** Fields every event carries. */
export interface BaseEvent {
  event: EventName;
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
  step_id?: string;
  step_name?: string;
  step_index?: number;
}

/** Fields of agent and team events (`RunContent`, `TeamToolCallStarted`, ...). */
export interface ExecutorEventFields {
  agent_id?: string;
  agent_name?: string;
  team_id?: string;
  team_name?: string;
  /** On agent and team events: the workflow run (their `run_id` is their own run, as in Agno). */
  workflow_run_id?: string;
  /** On a team member's events: the run of the team that delegated to it. */
  parent_run_id?: string;
  /** Text of a content event; the error message of `RunError` / `TeamRunError` (Agno's field). */
  content?: string;
  content_type?: string;
  model?: string;
  model_provider?: string;
  tool?: ToolExecution;
  error?: string;
}

/** Fields of workflow and step events (`WorkflowCompleted`, `StepCompleted`, ...). */
export interface WorkflowEventFields {
  status?: RunStatus;
  input?: string;
  /** `WorkflowStarted` of a retry, `StepStarted` of a step run again: 2, 3, ... */
  attempt?: number;
  /** `WorkflowStarted` of a retry: the step it starts from. */
  resumed_from_step?: string;
  /** Primitive events: Agno's fields. */
  parallel_step_count?: number;
  condition_result?: boolean;
  branch?: 'if' | 'else';
  max_iterations?: number;
  iteration?: number;
  should_continue?: boolean;
  total_iterations?: number;
  selected_steps?: string[];
  steps_count?: number;
  executed_steps?: number;
  /** `WorkflowPaused` for a person: what the paused step needs (Agno's `step_requirements`). */
  step_requirements?: StepRequirement[];
  pause_kind?: 'step' | 'error';
  /** `WorkflowPaused`: the step that failed and waits for a retry or abort. */
  paused_step_name?: string;
  paused_step_index?: number;
  /** `WorkflowCancelled`: why. */
  reason?: string;
  /** `StepCompleted`: the step's output. */
  step_response?: StepResult;
  /** `WorkflowCompleted`: every step's output. */
  step_results?: StepResult[];
  metrics?: RunMetrics;
}

export interface RunEvent extends BaseEvent, ExecutorEventFields, WorkflowEventFields {}

export interface TokenMetrics {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  /** Seconds. */
  duration?: number;
}

/** Agno's workflow metrics shape: per step, plus the run's duration in seconds. */
export interface RunMetrics {
  steps: Record<string, { step_name: string; executor_type: string; executor_name: string; metrics: TokenMetrics }>;
  duration?: number;
}

/** The result of one step, as Agno's `StepOutput.to_dict()` names it. */
export type StepType = 'Step' | 'Parallel' | 'Condition' | 'Loop' | 'Router' | 'Steps' | 'Workflow';

export interface StepResult {
  step_id: string;
  step_name: string;
  step_type: StepType;
  executor_type: 'agent' | 'team' | 'function' | 'workflow';
  executor_name: string;
  content: string;
  success: boolean;
  error?: string;
  stop?: boolean;
  metrics?: TokenMetrics;
  /** Results of the steps inside a Parallel, Condition, Loop, Router or Steps. */
  steps?: StepResult[];
}

/** What a step waiting for a person needs, and (in a continue request) the answer. */
export interface StepRequirement {
  step_id: string;
  step_name?: string;
  step_index?: number;
  requires_confirmation?: boolean;
  confirmation_message?: string;
  requires_user_input?: boolean;
  user_input_message?: string;
  user_input_schema?: Record<string, unknown>;
  /** The answer: confirmed or rejected. */
  confirmed?: boolean;
  /** The answer: the input asked for. */
  user_input?: Record<string, unknown>;
}

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
  /** Set while the run waits for a person (status PAUSED). */
  step_requirements?: StepRequirement[];
}

/** A run as the API returns it: Agno's `WorkflowRunOutput.to_dict()` keys. */
export interface RunOutputDict extends Omit<RunState, 'last_event_index' | 'current_step' | 'metrics'> {
  content_type: string;
  metrics?: RunMetrics;
  events?: RunEvent[];
}

/** A run as lists show it: from Temporal visibility, without reading its state. */
export type RunSummary = Pick<RunState, 'run_id' | 'workflow_id' | 'workflow_name' | 'session_id' | 'user_id' | 'input' | 'status' | 'created_at'>;

/** A batch of token deltas sent by one model call attempt to its workflow. */
export interface ContentDeltaBatch {
  /** Identifies the model call inside the run (stable across attempts). */
  callId: string;
  attempt: number;
  /** Character offset of `text` within this attempt's streamed content. */
  offset: number;
  text: string;
}
