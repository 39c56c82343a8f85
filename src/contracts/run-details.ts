/**
 * Parts of a run's state beside its events: each step's result (Agno's `StepOutput.to_dict()`),
 * what a step waiting for a person asks (Agno's `StepRequirement`), and where a cancelled run
 * stopped.
 */
import type { ExecutorRunMetrics } from './metrics.ts';

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
  /** The run of the step's agent or team (its events' `run_id`). */
  step_run_id?: string;
  is_paused?: boolean;
  metrics?: ExecutorRunMetrics;
  /** Results of the steps inside a Parallel, Condition, Loop, Router or Steps. */
  steps?: StepResult[];
}

/**
 * What a step waiting for a person needs, and (in a continue request) the answer. The fields
 * after `user_input` are Agno's `StepRequirement` details, absent on requirements recorded
 * before they were sent.
 */
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
  step_type?: StepType;
  /** What a rejection does: skip the step or fail the run. */
  on_reject?: 'skip' | 'fail';
  /** What happens when nobody answers in time: skip the step, fail the run, or run it as if confirmed. */
  on_timeout?: 'skip' | 'fail' | 'approve';
  /** ISO 8601 (UTC): when the wait ends, for a step that waits a limited time. */
  timeout_at?: string;
  /** Agno's kinds of question a step may ask; here only confirmation and input. */
  requires_route_selection?: boolean;
  allow_multiple_selections?: boolean;
  requires_output_review?: boolean;
  is_post_execution?: boolean;
  /** Agno's reviews of a step's output that a rejection sends back: none here (0 of 0). */
  retry_count?: number;
  max_retries?: number;
  /** What the step was about to run with (Agno's `StepInput`). */
  step_input?: RequirementStepInput;
}

/** A paused step's input as Agno's `StepInput.to_dict()` shows it. */
export interface RequirementStepInput {
  /** The run's input. */
  input: string;
  /** The results of the top-level steps before it, by step name. */
  previous_step_outputs: Record<string, StepResult>;
  previous_step_content?: string;
  additional_data?: Record<string, unknown>;
}

/** The question a run waits on a person for, if it does: the newest of its requirements while it is paused at a step. */
export function waitingRequirement(state: { status: string; pause_kind?: 'step'; step_requirements?: StepRequirement[] }): StepRequirement | undefined {
  return state.status === 'PAUSED' && state.pause_kind === 'step' ? state.step_requirements?.at(-1) : undefined;
}

/** Where a cancelled run was when it stopped (Agno's `CancellationStage`): not begun, running, or waiting for a person. */
export type CancellationStage = 'PENDING' | 'EXECUTING' | 'PAUSED';
