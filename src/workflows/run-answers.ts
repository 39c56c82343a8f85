/**
 * What people send a run while it waits: the answer to a step waiting for a person, and the
 * decision on a run held after a failure (retry or abort). The run's `ask` and `pause` wait on
 * the inbox this fills and empty it when they take what came.
 *
 * The engine sends updates: their validators refuse, without a trace in history, what the run
 * cannot take now (not waiting, or another caller's answer was taken first), so exactly one
 * caller hears "taken" and the others hear which answer was. The signals stay, for Web UI and
 * CLI users and for histories recorded with them; the same rules ignore what they cannot take.
 * Deterministic code: handlers only read and set workflow state.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { RunState, StepRequirement } from '../contracts/events.ts';
import { waitingRequirement } from '../contracts/events.ts';
import { alreadyAnswered, answerTaken } from '../contracts/answers.ts';
import { abortSignal, answerUpdate, continueSignal, isStepAnswers, retrySignal, retryUpdate } from '../contracts/run-workflow-api.ts';
import type { UPDATE_REFUSALS } from '../contracts/run-workflow-api.ts';

/** What came and is not taken yet. */
export interface RunInbox {
  /** The answer to the step waiting now. */
  answer?: StepRequirement;
  /** The index of the event that asked the question waiting now (its `WorkflowPaused`). */
  askedAt?: number;
  /** What to do with the run held after a failure. */
  decision?: 'retry' | 'abort';
}

/** What an answer or a decision would be taken as, or why it cannot be taken now. */
type Verdict<T> = { taken: T } | { refused: string };

export function receiveAnswers(state: RunState, ignoreSignal: (name: string, why: string) => void): RunInbox {
  const inbox: RunInbox = {};
  const runId = state.run_id;

  const judgeAnswer = (requirements: unknown, seenUpTo?: number): Verdict<StepRequirement> => {
    if (!isStepAnswers(requirements)) return { refused: 'its payload is not a list of step requirements, each with a step_id.' };
    const waiting = waitingRequirement(state);
    const stepIds = requirements.map((r) => r.step_id);
    // An answer waiting to be taken counts as taken: the run takes it at its next step.
    const taken = inbox.answer ? { ...waiting, ...inbox.answer } : waiting ? undefined : answerTaken(state.step_requirements, stepIds);
    if (taken) return { refused: alreadyAnswered(runId, taken) };
    if (!waiting) return { refused: `Run ${runId} is not waiting for a person (it is ${state.status}).` };
    // Read before this question was asked: it answers an earlier question, which was answered.
    if (seenUpTo !== undefined && inbox.askedAt !== undefined && inbox.askedAt > seenUpTo) {
      const earlier = answerTaken(state.step_requirements?.slice(0, -1), stepIds);
      return { refused: earlier ? alreadyAnswered(runId, earlier) : `Run ${runId} asked again since the question was read: read it and answer anew.` };
    }
    const given = requirements.find((requirement) => requirement.step_id === waiting.step_id);
    if (!given) return { refused: `Run ${runId} waits at step ${waiting.step_id} (${waiting.step_name ?? waiting.step_id}); the answer is for another step.` };
    return { taken: given };
  };

  const judgeDecision = (): Verdict<true> => {
    const asking = waitingRequirement(state);
    if (asking) return { refused: `Run ${runId} waits for a person at ${asking.step_name ?? asking.step_id}: answer it with continue.` };
    if (inbox.decision === 'retry') return { refused: `Run ${runId} is already being retried.` };
    if (inbox.decision === 'abort') return { refused: `Run ${runId} is being aborted.` };
    if (state.status !== 'PAUSED') return { refused: `Run ${runId} is ${state.status}, not held after a failure: only failed or held runs can be retried.` };
    return { taken: true };
  };

  setHandler(answerUpdate, (requirements, seenUpTo?) => take(judgeAnswer(requirements, seenUpTo), (given) => (inbox.answer = given)), {
    validator: (requirements, seenUpTo?) => refuseUnless(judgeAnswer(requirements, seenUpTo), 'AnswerRefused'),
  });
  setHandler(retryUpdate, () => void take(judgeDecision(), () => (inbox.decision = 'retry')), {
    validator: () => refuseUnless(judgeDecision(), 'RetryRefused'),
  });

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

/** The validator: a refusal fails the update before it is accepted, leaving no event behind. */
function refuseUnless<T>(verdict: Verdict<T>, type: (typeof UPDATE_REFUSALS)[number]): void {
  if ('refused' in verdict) throw ApplicationFailure.nonRetryable(verdict.refused, type);
}

/**
 * The handler: runs right after its validator accepted, in the same workflow activation (nothing
 * comes between), and on replay, where validators are not run: judging again keeps it exact.
 */
function take<T>(verdict: Verdict<T>, keep: (taken: T) => void): T {
  if ('refused' in verdict) throw ApplicationFailure.nonRetryable(verdict.refused, 'AnswerRefused');
  keep(verdict.taken);
  return verdict.taken;
}
