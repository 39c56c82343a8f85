/**
 * The contracts between the workflow interpreter and its activities. Workflow code imports these
 * with `import type` only, so no activity code ends up in the workflow bundle.
 */
import type { ActivityTimeouts, CarriedLog, LogSegment, ModelPlan, ToolPlan } from './plan.ts';
import type { ExecutorRunMetrics, RunEvent } from './events.ts';
import type { LiveContentTemplate } from './live.ts';
import type { ConversationArchive, ConversationMessage, ModelToolCall } from './conversation.ts';

export type { ConversationArchive, ConversationMessage, ConversationState, ModelToolCall } from './conversation.ts';
export type { ModelCallResult, ToolCallResult } from './call-results.ts';

export interface ModelCallInput {
  /** Temporal workflow id of the run, where token deltas are signalled. */
  workflowId: string;
  /** Stable id of this model call within the run (same for every attempt). */
  callId: string;
  /** Where the call stands in its step, so that a retry of the run can reuse its answer (see reused-calls.ts); absent where it cannot. */
  reuseKey?: string;
  model: ModelPlan;
  instructions: string;
  /** The conversation's earlier messages, archived; `messages` follow them. */
  earlier?: ConversationArchive;
  /** The conversation (after `earlier`); contents may be text references (see text-refs.ts). */
  messages: ConversationMessage[];
  tools: ToolPlan[];
  /** Whether to stream token deltas back to the workflow while the model answers. */
  stream: boolean;
  /** The content events the answer becomes, so that the call can publish its deltas live as them. */
  live?: LiveContentTemplate;
}

export interface ToolCallInput {
  toolName: string;
  /** Where the call stands in its step, so that a retry of the run can reuse its output (see reused-calls.ts); absent where it cannot. */
  reuseKey?: string;
  /** JSON text of the arguments as the model produced them; validated by the activity. */
  arguments: string;
}

/** The data of Agno's `StepInput`, as it crosses into an activity (see `StepInput` in src/steps/step.ts). */
export interface StepInputData {
  input: string;
  previousStepContent?: string;
  /** Content of every earlier step, by step name. */
  previousStepOutputs: Record<string, string>;
  additionalData?: Record<string, unknown>;
  /** What a person entered for this step, when it asked for input. */
  userInput?: Record<string, unknown>;
}

/** Agno's `StepOutput`, as a function step returns it. */
export interface StepOutput {
  content: string;
  success?: boolean;
  error?: string;
  /** Ends the workflow after this step. */
  stop?: boolean;
  /** Tokens a function step spent on models of its own: they count in the step's and the run's totals. */
  metrics?: Pick<ExecutorRunMetrics, 'input_tokens' | 'output_tokens' | 'total_tokens' | 'details'>;
}

export interface FunctionStepCallInput {
  /** Registry key of the function. */
  ref: string;
  stepInput: StepInputData;
}

/**
 * One call of a user function by the `callUserFunction` activity. `use` says what the function is
 * for, and so how its answer is read: see `UserFunctionResults`.
 */
export type UserFunctionCall =
  | { use: 'step'; ref: string; stepInput: StepInputData }
  | { use: 'condition'; ref: string; stepInput: StepInputData }
  /** The answer must name some of `choices`. */
  | { use: 'router'; ref: string; stepInput: StepInputData; choices: string[] }
  | { use: 'loop-end'; ref: string; outputs: StepOutput[] };

/** What `callUserFunction` answers for each use. */
export interface UserFunctionResults {
  step: StepOutput;
  condition: boolean;
  /** The names of the choices picked. */
  router: string[];
  'loop-end': boolean;
}

export type { ActivityTimeouts };

/** Events of a run's log to store in the blob store before the run continues as new. */
export interface ArchiveEventsInput {
  events: RunEvent[];
}

/** The segments the events were stored as, in order. */
export type ArchiveEventsResult = LogSegment[];

/**
 * The log of the execution an operator's reset started this one from: its whole log as segments
 * (those it carried, and its own events archived now), and what the reset marker says.
 */
export interface ResetBaseResult {
  log: CarriedLog;
  /** The Temporal run id of the execution that was reset, and of this one. */
  baseExecutionId: string;
  executionId: string;
  /** The operator's reason, as given to the reset. */
  reason: string;
}

/** Where an agent's or team's own run finds its session's earlier runs (Agno's `add_history_to_context`). */
export interface SessionHistoryInput {
  /** The runs' `workflow_id`: the agent's or team's (`agent:<id>`, `team:<id>`). */
  workflowId: string;
  sessionId: string;
  /** The run asking, never its own history. */
  runId: string;
  /** The newest this many completed runs (Agno's `num_history_runs`). */
  runs: number;
}
