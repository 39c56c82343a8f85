/**
 * What people send a run while it waits: the answer to a step waiting for a person, and the
 * decision on a run held after a failure (retry or abort). The run's `ask` and `pause` wait on
 * the inbox this fills and empty it when they take what came.
 *
 * The engine sends updates: their validators refuse, without a trace in history, what the run
 * cannot take now (not waiting, another caller's answer taken first, an answer that does not fit
 * the question), so exactly one caller hears "taken" and the others hear which answer was. The
 * signals stay, for Web UI and CLI users and for histories recorded with them; they follow the
 * rules they always had, and what they cannot use is ignored with a log line.
 * Deterministic code: handlers only read and set workflow state.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { RunRequirement, RunState, StepRequirement } from '../contracts/events.ts';
import { waitingRequirement } from '../contracts/events.ts';
import { alreadyAnswered, answerTaken } from '../contracts/answers.ts';
import { abortSignal, answerUpdate, continueSignal, isStepAnswers, retrySignal, retryUpdate } from '../contracts/run-workflow-api.ts';
import type { AnswerTaken, UpdateRefusal } from '../contracts/run-workflow-api.ts';
import { validateArguments } from '../definitions/validate-arguments.ts';
import type { EventLog } from './event-log.ts';

/** What came and is not taken yet. */
export interface RunInbox {
  /** The answer to the step waiting now. */
  answer?: StepRequirement;
  /** What to do with the run held after a failure. */
  decision?: 'retry' | 'abort';
  /** The answers to the tool calls the run's agent waits on (see tool-answers.ts). */
  tools?: RunRequirement[];
}

/** What an answer or a decision would be taken as, or why it cannot be taken now. */
export type Verdict<T> = { taken: T } | { refused: string; as: UpdateRefusal };

export function receiveAnswers(state: RunState, log: EventLog, ignoreSignal: (name: string, why: string) => void): RunInbox {
  const inbox: RunInbox = {};
  const runId = state.run_id;
  const conflict = (refused: string): Verdict<never> => ({ refused, as: 'AnswerRefused' });

  /** The rules a `continue` signal has always had: a list of answers, one for the step waiting, the first one taken. */
  const judgeAnswer = (requirements: unknown): Verdict<StepRequirement> => {
    if (!isStepAnswers(requirements)) return { refused: 'step_requirements must be a list of step requirements, each with a step_id.', as: 'AnswerInvalid' };
    const waiting = waitingRequirement(state);
    // An answer waiting to be taken counts as taken: the run takes it at its next step.
    if (inbox.answer) return conflict(alreadyAnswered(runId, { ...waiting, ...inbox.answer }));
    const given = waiting && requirements.find((requirement) => requirement.step_id === waiting.step_id);
    if (given) return { taken: given };
    // A late answer to a question that was answered (the run went on, maybe to another question).
    const before = answerTaken(state.step_requirements, requirements.map((r) => r.step_id));
    if (before) return conflict(alreadyAnswered(runId, before));
    if (!waiting) return conflict(`Run ${runId} is not waiting for a person (it is ${state.status}).`);
    return { refused: `step_requirements must answer step_id ${waiting.step_id} (${waiting.step_name}).`, as: 'AnswerInvalid' };
  };

  /** An update's answer is also checked against what the question asks. */
  const judgeAnswerUpdate = (requirements: StepRequirement[]): Verdict<StepRequirement> => {
    const verdict = judgeAnswer(requirements);
    if ('refused' in verdict) return verdict;
    const problem = answerProblem(waitingRequirement(state)!, verdict.taken);
    return problem ? { refused: problem, as: 'AnswerInvalid' } : verdict;
  };

  const judgeDecision = (): Verdict<true> => {
    const refuse = (refused: string): Verdict<never> => ({ refused, as: 'RetryRefused' });
    const asking = waitingRequirement(state);
    if (asking) return refuse(`Run ${runId} waits for a person at ${asking.step_name ?? asking.step_id}: answer it with continue.`);
    if (inbox.decision === 'retry') return refuse(`Run ${runId} is already being retried.`);
    if (inbox.decision === 'abort') return refuse(`Run ${runId} is being aborted.`);
    if (state.status !== 'PAUSED') return refuse(`Run ${runId} is ${state.status}, not held after a failure: only failed or held runs can be retried.`);
    return { taken: true };
  };

  setHandler(
    answerUpdate,
    (requirements): AnswerTaken => {
      const answer = take(judgeAnswerUpdate(requirements));
      inbox.answer = answer;
      return { answer, lastEventIndex: log.lastIndex };
    },
    { validator: (requirements) => void take(judgeAnswerUpdate(requirements)) },
  );
  setHandler(
    retryUpdate,
    () => {
      take(judgeDecision());
      inbox.decision = 'retry';
    },
    { validator: () => void take(judgeDecision()) },
  );

  setHandler(continueSignal, (requirements: unknown) => {
    const verdict = judgeAnswer(requirements);
    if ('refused' in verdict) return ignoreSignal('continue', verdict.refused);
    inbox.answer = verdict.taken;
  });
  const decide = (chosen: 'retry' | 'abort') => {
    const verdict = judgeDecision();
    if ('refused' in verdict) return ignoreSignal(chosen, verdict.refused);
    inbox.decision = chosen;
  };
  setHandler(retrySignal, () => decide('retry'));
  setHandler(abortSignal, () => decide('abort'));
  return inbox;
}

/**
 * What the update takes, or its refusal. In the validator, a refusal fails the update before it
 * is accepted, leaving no event behind. The handler runs right after its validator accepted, in
 * the same activation (nothing comes between), and on replay, where validators are not run:
 * judging again there keeps it exact.
 */
export function take<T>(verdict: Verdict<T>): T {
  if ('refused' in verdict) throw ApplicationFailure.nonRetryable(verdict.refused, verdict.as);
  return verdict.taken;
}

/** Why an answer does not fit the question: confirmation needs `confirmed`, input must match its schema. */
function answerProblem(waiting: StepRequirement, answer: StepRequirement): string | undefined {
  if (waiting.requires_confirmation && typeof answer.confirmed !== 'boolean') return `Step ${waiting.step_name} needs confirmed: true or false.`;
  if (waiting.requires_user_input && answer.confirmed !== false) {
    const problems = validateArguments(waiting.user_input_schema ?? { type: 'object' }, answer.user_input ?? {});
    if (problems.length > 0) return `user_input for step ${waiting.step_name}: ${problems.map((p) => p.replace(/^arguments/, 'user_input')).join('; ')}.`;
  }
  return undefined;
}
