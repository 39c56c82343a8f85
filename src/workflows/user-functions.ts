/**
 * Calls of user functions from workflow code: function steps, and the evaluators, selectors and
 * end conditions of Condition, Router and Loop. Each is an activity, so it may do I/O and a
 * replay never calls it again.
 */
import type { ConditionPlan, LoopPlan, RouterPlan } from '../contracts/plan.ts';
import type { StepInputData, StepOutput } from '../contracts/activities.ts';
import type { RunActivities } from './activity-proxies.ts';

export function runFunctionStep(activities: RunActivities, stepName: string, ref: string, input: StepInputData): Promise<StepOutput> {
  return activities.tool.runFunctionStep.executeWithOptions({ summary: `${stepName} · function` }, [{ ref, stepInput: input }]);
}

export function evaluateCondition(activities: RunActivities, node: ConditionPlan, ref: string, input: StepInputData): Promise<boolean> {
  return activities.tool.evaluateCondition.executeWithOptions({ summary: `${node.name} · evaluator` }, [{ ref, stepInput: input }]);
}

export function selectRoute(activities: RunActivities, node: RouterPlan, input: StepInputData): Promise<string[]> {
  return activities.tool.selectRoute.executeWithOptions({ summary: `${node.name} · selector` }, [
    { ref: node.selector, stepInput: input, choices: node.choices.map((choice) => choice.name) },
  ]);
}

export function checkEndCondition(activities: RunActivities, node: LoopPlan, ref: string, outputs: StepOutput[]): Promise<boolean> {
  return activities.tool.checkEndCondition.executeWithOptions({ summary: `${node.name} · end condition` }, [{ ref, outputs }]);
}
