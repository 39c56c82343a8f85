/**
 * Runs the nodes of a plan: steps, and Agno's building blocks around them (Parallel, Condition,
 * Loop, Router, Steps). Deterministic: every user function and every executor's side effect is an
 * activity.
 */
import type { StepNodePlan, StepPlan } from '../contracts/plan.ts';
import { isStepPlan } from '../contracts/plan.ts';
import { LOOP_RESULTS_KEPT } from '../contracts/run-carry.ts';
import type { StepFields, StepResult, StepType } from '../contracts/events.ts';
import type { StepOutput } from '../contracts/activities.ts';
import { stepInput } from './run-scope.ts';
import type { NodeInput, RunScope } from './run-scope.ts';
import { runStepWithPolicy } from './run-step.ts';
import { checkEndCondition, evaluateCondition, selectRoute } from './user-functions.ts';


export async function runNode(scope: RunScope, node: StepNodePlan, place: NodeInput): Promise<StepResult> {
  if (isStepPlan(node)) return runStepWithPolicy(scope, node, place);
  // What a group's own nodes get: they are not top-level (no continue-as-new inside them).
  const { topLevel, ...at } = place;
  const fields: StepFields = { step_id: node.id, step_name: node.name, step_index: at.index };
  switch (node.kind) {
    case 'parallel': {
      scope.log.emit('ParallelExecutionStarted', { ...fields, parallel_step_count: node.steps.length });
      const results = await Promise.all(node.steps.map((step) => runNode(scope, step, at)));
      const content = results.map((result) => `## ${result.step_name}\n\n${result.content}`).join('\n\n');
      scope.log.emit('ParallelExecutionCompleted', { ...fields, parallel_step_count: node.steps.length, step_results: results });
      return group(scope, node, 'Parallel', content, results);
    }
    case 'condition': {
      const verdict = typeof node.evaluator === 'boolean' ? node.evaluator : await evaluateCondition(scope.activities, node, node.evaluator, stepInput(scope, at));
      scope.log.emit('ConditionExecutionStarted', { ...fields, condition_result: verdict });
      const branch = verdict ? node.steps : node.elseSteps;
      const results = await runSequence(scope, branch, at);
      scope.log.emit('ConditionExecutionCompleted', { ...fields, condition_result: verdict, branch: verdict ? 'if' : 'else', executed_steps: results.length, step_results: results });
      return group(scope, node, 'Condition', results.at(-1)?.content ?? at.content, results);
    }
    case 'loop': {
      // A top-level Loop may continue as new between iterations; the next execution resumes it here.
      const resumed = topLevel ? scope.resumeAt(at.index, 'loop') : undefined;
      if (!resumed) scope.log.emit('LoopExecutionStarted', { ...fields, max_iterations: node.maxIterations });
      const all: StepResult[] = [...(resumed?.results ?? [])];
      let current: NodeInput = resumed ? { index: at.index, content: resumed.content, previous: resumed.content } : at;
      const first = resumed?.nextIteration ?? 1;
      let iteration = 0;
      for (iteration = first; iteration <= node.maxIterations; iteration++) {
        if (topLevel && iteration > first) {
          await scope.checkpoint({ stepIndex: at.index, inside: { kind: 'loop', nextIteration: iteration, content: current.content, results: all } });
        }
        scope.log.emit('LoopIterationStarted', { ...fields, iteration, max_iterations: node.maxIterations });
        const results = await runSequence(scope, node.steps, current);
        all.push(...results);
        // The loop's result lists its latest inner results only: thousands of iterations stay small.
        if (all.length > LOOP_RESULTS_KEPT) all.splice(0, all.length - LOOP_RESULTS_KEPT);
        const done = node.endCondition ? await checkEndCondition(scope.activities, node, node.endCondition, results.map(asStepOutput)) : false;
        scope.log.emit('LoopIterationCompleted', { ...fields, iteration, max_iterations: node.maxIterations, should_continue: !done });
        current = { index: at.index, content: results.at(-1)!.content, previous: results.at(-1)!.content };
        if (done) break;
      }
      const total = Math.min(iteration, node.maxIterations);
      scope.log.emit('LoopExecutionCompleted', { ...fields, total_iterations: total, max_iterations: node.maxIterations });
      return group(scope, node, 'Loop', current.content, all);
    }
    case 'router': {
      const names = await selectRoute(scope.activities, node, stepInput(scope, at));
      scope.log.emit('RouterExecutionStarted', { ...fields, selected_steps: names });
      const chosen = names.map((name) => node.choices.find((choice) => choice.name === name)!);
      const results = await runSequence(scope, chosen, at);
      scope.log.emit('RouterExecutionCompleted', { ...fields, selected_steps: names, executed_steps: results.length, step_results: results });
      return group(scope, node, 'Router', results.at(-1)?.content ?? at.content, results);
    }
    case 'steps': {
      scope.log.emit('StepsExecutionStarted', { ...fields, steps_count: node.steps.length });
      const results = await runSequence(scope, node.steps, at);
      scope.log.emit('StepsExecutionCompleted', { ...fields, steps_count: node.steps.length, executed_steps: results.length, step_results: results });
      return group(scope, node, 'Steps', results.at(-1)?.content ?? at.content, results);
    }
  }
}

/** Runs nodes in order, each getting the previous one's content (Agno's chaining). */
async function runSequence(scope: RunScope, nodes: StepNodePlan[], at: NodeInput): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let current = at;
  for (const node of nodes) {
    const result = await runNode(scope, node, current);
    results.push(result);
    current = { index: at.index, content: result.content, previous: result.content };
    if (result.stop) break;
  }
  return results;
}

function group(scope: RunScope, node: Exclude<StepNodePlan, StepPlan>, type: StepType, content: string, results: StepResult[]): StepResult {
  const result: StepResult = {
    step_id: node.id,
    step_name: node.name,
    step_type: type,
    executor_type: 'function',
    executor_name: type,
    content,
    success: results.every((inner) => inner.success),
    stop: results.some((inner) => inner.stop),
    steps: results,
  };
  scope.outputs[node.name] = content;
  return result;
}

/** A step's result as a Loop's end condition sees it: Agno's `StepOutput`. */
function asStepOutput(result: StepResult): StepOutput {
  return { content: result.content, success: result.success, ...(result.error ? { error: result.error } : {}), ...(result.stop ? { stop: true } : {}) };
}
