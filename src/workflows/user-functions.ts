/**
 * Calls of user functions from workflow code: function steps, and the evaluators, selectors and
 * end conditions of Condition, Router and Loop. Each is a `callUserFunction` activity on the
 * run's user function stub (its own timeouts), with a Web UI summary saying what it is for.
 */
import { patched } from '@temporalio/workflow';
import type { ConditionPlan, LoopPlan, RouterPlan, StepPlan } from '../contracts/plan.ts';
import type { StepInputData, StepOutput, UserFunctionCall, UserFunctionResults } from '../contracts/activities.ts';
import type { RunActivities } from './activity-proxies.ts';

/**
 * Runs recorded before user functions had their own activity called them on the tool stub, under
 * one activity type per use. Replaying such a history, `patched` answers false and the run takes
 * that old path again (the same commands in the same order); a new run records the patch marker
 * and takes the new one. When no such run can still be open, `deprecatePatch` replaces the check.
 */
const OWN_ACTIVITY_PATCH = 'user-functions-own-activity';

function callUserFunction<C extends UserFunctionCall>(activities: RunActivities, summary: string, call: C): Promise<UserFunctionResults[C['use']]> {
  // The activity answers the result type of the call's `use` (see `callUserFunction` in src/activities/function-step.ts).
  return activities.userFunction.callUserFunction.executeWithOptions({ summary }, [call]) as Promise<UserFunctionResults[C['use']]>;
}

export function runFunctionStep(activities: RunActivities, step: StepPlan, fn: { ref: string; name?: string }, input: StepInputData): Promise<StepOutput> {
  if (!patched(OWN_ACTIVITY_PATCH)) {
    return activities.tool.runFunctionStep.executeWithOptions({ summary: `${step.name} · function` }, [{ ref: fn.ref, stepInput: input }]);
  }
  const summary = fn.name ? `${step.name} · function ${fn.name}` : `${step.name} · function`;
  return callUserFunction(activities, summary, { use: 'step', ref: fn.ref, stepInput: input });
}

export function evaluateCondition(activities: RunActivities, node: ConditionPlan, ref: string, input: StepInputData): Promise<boolean> {
  if (!patched(OWN_ACTIVITY_PATCH)) {
    return activities.tool.evaluateCondition.executeWithOptions({ summary: `${node.name} · evaluator` }, [{ ref, stepInput: input }]);
  }
  return callUserFunction(activities, `${node.name} · condition evaluator`, { use: 'condition', ref, stepInput: input });
}

export function selectRoute(activities: RunActivities, node: RouterPlan, input: StepInputData): Promise<string[]> {
  const choices = node.choices.map((choice) => choice.name);
  if (!patched(OWN_ACTIVITY_PATCH)) {
    return activities.tool.selectRoute.executeWithOptions({ summary: `${node.name} · selector` }, [{ ref: node.selector, stepInput: input, choices }]);
  }
  return callUserFunction(activities, `${node.name} · route selector`, { use: 'router', ref: node.selector, stepInput: input, choices });
}

export function checkEndCondition(activities: RunActivities, node: LoopPlan, ref: string, outputs: StepOutput[]): Promise<boolean> {
  if (!patched(OWN_ACTIVITY_PATCH)) {
    return activities.tool.checkEndCondition.executeWithOptions({ summary: `${node.name} · end condition` }, [{ ref, outputs }]);
  }
  return callUserFunction(activities, `${node.name} · end condition`, { use: 'loop-end', ref, outputs });
}
