/**
 * What a run's state says beyond its steps' results: the tokens it keeps in its memo for session
 * lists, where it was when cancelled, and what a step waiting for a person was about to run with.
 */
import { patched, upsertMemo } from '@temporalio/workflow';
import type { CancellationStage, RunState, StepRequirement } from '../contracts/events.ts';
import { waitingRequirement } from '../contracts/events.ts';
import type { RunInput } from '../contracts/plan.ts';
import { RUN_TOKENS_MEMO, runTokenTotals } from '../contracts/token-totals.ts';

const TOKENS_MEMO_PATCH = 'run-tokens-memo';

/**
 * The run's tokens so far, in its memo, so that session lists sum them from visibility alone.
 * Runs recorded before the memo kept them replay without these upserts.
 */
export function keepTokenTotals(state: RunState): void {
  if (patched(TOKENS_MEMO_PATCH)) upsertMemo({ [RUN_TOKENS_MEMO]: runTokenTotals(state.metrics) });
}

/** Where the run was when it was cancelled: before its first step, waiting for a person, or running. */
export function cancellationStage(state: RunState): CancellationStage {
  if (waitingRequirement(state)) return 'PAUSED';
  return state.current_step === undefined && state.step_results.length === 0 ? 'PENDING' : 'EXECUTING';
}

/** What a step waiting for a person was about to run with, as Agno's `StepInput` shows it. */
export function requirementInput(run: RunInput, state: RunState): NonNullable<StepRequirement['step_input']> {
  const input: NonNullable<StepRequirement['step_input']> = {
    input: run.input,
    previous_step_outputs: Object.fromEntries(state.step_results.map((result) => [result.step_name, result])),
  };
  const previous = state.step_results.at(-1)?.content;
  if (previous !== undefined) input.previous_step_content = previous;
  if (run.additionalData !== undefined) input.additional_data = run.additionalData;
  return input;
}
