/**
 * Answers a run was given by people, as the workflow and the engine both describe them: a step's
 * answer is taken once, and whoever answers after that is told which answer was taken.
 */
import type { StepRequirement } from './run-details.ts';

/** Whether a recorded requirement holds an answer (one that timed out holds none). */
function isAnswered(requirement: StepRequirement): boolean {
  return requirement.confirmed !== undefined || requirement.user_input !== undefined;
}

/** The newest answered requirement of any of these steps, from a run's recorded requirements. */
export function answerTaken(recorded: StepRequirement[] | undefined, stepIds: string[]): StepRequirement | undefined {
  return recorded?.findLast((requirement) => stepIds.includes(requirement.step_id) && isAnswered(requirement));
}

/** An answer in a few words: `confirmed: true`, `user_input: {"city":"Oslo"}`. */
export function describeAnswer(answer: StepRequirement): string {
  const parts = [
    ...(answer.confirmed !== undefined ? [`confirmed: ${answer.confirmed}`] : []),
    ...(answer.user_input !== undefined ? [`user_input: ${JSON.stringify(answer.user_input)}`] : []),
  ];
  return parts.join(', ') || 'no answer';
}

/** What a caller whose answer came second is told. */
export function alreadyAnswered(runId: string, taken: StepRequirement): string {
  return `Step ${taken.step_name ?? taken.step_id} of run ${runId} was already answered (${describeAnswer(taken)}); this answer was not taken.`;
}
