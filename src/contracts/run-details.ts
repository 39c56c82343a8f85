/**
 * Parts of a run's state beside its events: each step's result (Agno's `StepOutput.to_dict()`),
 * what a step waiting for a person asks (Agno's `StepRequirement`), and where a cancelled run
 * stopped.
 */
import type { z } from 'zod';
import type { RunOutput } from './wire-schemas/run-output.ts';
import type * as wire from './wire-schemas/run-parts.ts';

/** The result of one step, as Agno's `StepOutput.to_dict()` names it (declared once as the wire's schema). */
export type StepResult = z.output<typeof wire.StepResult>;

export type StepType = StepResult['step_type'];

/** Step results with the results inside groups (Parallel, Loop, ...), depth first. */
export function flattenStepResults(results: StepResult[]): StepResult[] {
  return results.flatMap((result) => [...flattenStepResults(result.steps ?? []), result]);
}

/**
 * What a step waiting for a person needs, and (in a continue request) the answer. The fields
 * after `user_input` are Agno's `StepRequirement` details, absent on requirements recorded
 * before they were sent.
 */
export type StepRequirement = z.output<typeof wire.StepRequirement>;

/** A paused step's input as Agno's `StepInput.to_dict()` shows it. */
export type RequirementStepInput = NonNullable<StepRequirement['step_input']>;

/** The question a run waits on a person for, if it does: the newest of its requirements while it is paused at a step. */
export function waitingRequirement(state: { status: string; pause_kind?: 'step'; step_requirements?: StepRequirement[] }): StepRequirement | undefined {
  return state.status === 'PAUSED' && state.pause_kind === 'step' ? state.step_requirements?.at(-1) : undefined;
}

/** Where a cancelled run was when it stopped (Agno's `CancellationStage`): not begun, running, or waiting for a person. */
export type CancellationStage = NonNullable<z.output<typeof RunOutput>['cancellation_stage']>;
