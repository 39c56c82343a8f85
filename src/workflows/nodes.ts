/**
 * Runs the nodes of a plan: steps (agent, team or function) and Agno's building blocks around
 * them (Parallel, Condition, Loop, Router, Steps). Deterministic: every user function and every
 * executor's side effect is an activity.
 */
import { isCancellation } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import type { RunInput, StepErrorPolicy, StepNodePlan, StepPlan } from '../plan/types.ts';
import { isStepPlan } from '../plan/types.ts';
import type { StepResult, StepType } from '../events/types.ts';
import type { StepInputData, StepOutput } from '../activities/types.ts';
import { runActivities } from './activity-proxies.ts';
import type { RunActivities } from './activity-proxies.ts';
import { emptyUsage } from './context.ts';
import type { EventFields, ExecutionContext } from './context.ts';
import type { EventLog } from './event-log.ts';
import { runAgent, runTeam } from './executors.ts';
import { errorMessage } from './model-loop.ts';

/** What the nodes of one run share. */
export interface RunScope {
  run: RunInput;
  log: EventLog;
  activities: RunActivities;
  workflowId: string;
  /** Content of every step completed so far, by name (Agno's `previousStepOutputs`). */
  outputs: Record<string, string>;
  /** Holds the run after a step failed; resolves with what the user decided. */
  pause(step: StepPlan, fields: EventFields, error: string): Promise<'retry' | 'abort'>;
}

/** A node's place: the top-level step index its events carry, and the content it starts from. */
export interface NodeInput {
  index: number;
  /** Content of the previous step in the chain; the workflow input for the first step. */
  content: string;
  /** Content of the previous step, if there is one (Agno's `previousStepContent`). */
  previous?: string;
}

export async function runNode(scope: RunScope, node: StepNodePlan, at: NodeInput): Promise<StepResult> {
  if (isStepPlan(node)) return runStepWithPolicy(scope, node, at);
  const fields: EventFields = { step_id: node.id, step_name: node.name, step_index: at.index };
  switch (node.kind) {
    case 'parallel': {
      scope.log.emit('ParallelExecutionStarted', { ...fields, parallel_step_count: node.steps.length });
      const results = await Promise.all(node.steps.map((step) => runNode(scope, step, at)));
      const content = results.map((result) => `## ${result.step_name}\n\n${result.content}`).join('\n\n');
      scope.log.emit('ParallelExecutionCompleted', { ...fields, parallel_step_count: node.steps.length, step_results: results });
      return group(scope, node, 'Parallel', content, results);
    }
    case 'condition': {
      const verdict = typeof node.evaluator === 'boolean' ? node.evaluator : await evaluate(scope, node.name, node.evaluator, at);
      scope.log.emit('ConditionExecutionStarted', { ...fields, condition_result: verdict });
      const branch = verdict ? node.steps : node.elseSteps;
      const results = await runSequence(scope, branch, at);
      scope.log.emit('ConditionExecutionCompleted', { ...fields, condition_result: verdict, branch: verdict ? 'if' : 'else', executed_steps: results.length, step_results: results });
      return group(scope, node, 'Condition', results.at(-1)?.content ?? at.content, results);
    }
    case 'loop': {
      scope.log.emit('LoopExecutionStarted', { ...fields, max_iterations: node.maxIterations });
      const all: StepResult[] = [];
      let current = at;
      let iteration = 0;
      for (iteration = 1; iteration <= node.maxIterations; iteration++) {
        scope.log.emit('LoopIterationStarted', { ...fields, iteration, max_iterations: node.maxIterations });
        const results = await runSequence(scope, node.steps, current);
        all.push(...results);
        const done = node.endCondition
          ? await scope.activities.tool.checkEndCondition.executeWithOptions({ summary: `${node.name} · end condition` }, [{ ref: node.endCondition, outputs: results.map(asStepOutput) }])
          : false;
        scope.log.emit('LoopIterationCompleted', { ...fields, iteration, max_iterations: node.maxIterations, should_continue: !done });
        current = { index: at.index, content: results.at(-1)!.content, previous: results.at(-1)!.content };
        if (done) break;
      }
      const total = Math.min(iteration, node.maxIterations);
      scope.log.emit('LoopExecutionCompleted', { ...fields, total_iterations: total, max_iterations: node.maxIterations });
      return group(scope, node, 'Loop', current.content, all);
    }
    case 'router': {
      const names = await scope.activities.tool.selectRoute.executeWithOptions({ summary: `${node.name} · selector` }, [
        { ref: node.selector, stepInput: stepInput(scope, at), choices: node.choices.map((choice) => choice.name) },
      ]);
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

function evaluate(scope: RunScope, name: string, ref: string, at: NodeInput): Promise<boolean> {
  return scope.activities.tool.evaluateCondition.executeWithOptions({ summary: `${name} · evaluator` }, [{ ref, stepInput: stepInput(scope, at) }]);
}

function stepInput(scope: RunScope, at: NodeInput): StepInputData {
  return { input: scope.run.input, previousStepContent: at.previous, previousStepOutputs: { ...scope.outputs }, additionalData: scope.run.additionalData };
}

function asStepOutput(result: StepResult): StepOutput {
  return { content: result.content, success: result.success, ...(result.error ? { error: result.error } : {}), ...(result.stop ? { stop: true } : {}) };
}

/** A step, with its error policy: fail the run, skip the step, or pause until a retry. */
async function runStepWithPolicy(scope: RunScope, step: StepPlan, at: NodeInput): Promise<StepResult> {
  const policy: StepErrorPolicy = step.onError ?? (scope.run.plan.onFailure === 'hold' ? 'pause' : 'fail');
  const fields: EventFields = { step_id: step.id, step_name: step.name, step_index: at.index };
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await runStep(scope, step, fields, attempt, at);
      scope.outputs[step.name] = result.content;
      return result;
    } catch (err) {
      if (isCancellation(err) || policy === 'fail') throw err;
      const error = errorMessage(err);
      if (policy === 'skip') {
        // Skipped: the chain goes on with the content this step was given.
        scope.log.emit('StepError', { ...fields, error });
        return { ...stepResult(step, at.content, emptyUsage(), 0), success: false, error };
      }
      if ((await scope.pause(step, fields, error)) === 'abort') throw err;
    }
  }
}

/** One attempt at one step: its events, its executor, its result. Throws when the step fails. */
async function runStep(scope: RunScope, step: StepPlan, fields: EventFields, attempt: number, at: NodeInput): Promise<StepResult> {
  scope.log.emit('StepStarted', { ...fields, ...(attempt > 1 ? { attempt } : {}) });
  // A step's own retry count replaces the run's for the step's activities.
  const activities = step.retries === undefined ? scope.activities : runActivities({ ...scope.run.timeouts, maximumAttempts: step.retries + 1 });
  const ctx: ExecutionContext = { log: scope.log, activities, workflowId: scope.workflowId, path: [], stepFields: fields, usage: emptyUsage() };
  const started = Date.now();
  const output = await executeStep(ctx, scope, step, at);
  const result: StepResult = {
    ...stepResult(step, output.content, ctx.usage, (Date.now() - started) / 1000),
    success: output.success ?? true,
    error: output.error,
    stop: output.stop,
  };
  scope.log.emit('StepCompleted', { ...fields, content: result.content, content_type: 'str', step_response: result });
  if (!result.success) throw ApplicationFailure.nonRetryable(result.error ?? `Step ${step.name} failed`, 'StepFailed');
  return result;
}

function stepResult(step: StepPlan, content: string, usage: ReturnType<typeof emptyUsage>, seconds: number): StepResult {
  return {
    step_id: step.id,
    step_name: step.name,
    step_type: 'Step',
    executor_type: step.executor.kind,
    executor_name: executorName(step),
    content,
    success: true,
    metrics: { ...usage, duration: seconds },
  };
}

export function executorName(step: StepPlan): string {
  switch (step.executor.kind) {
    case 'agent':
      return step.executor.agent.name;
    case 'team':
      return step.executor.team.name;
    case 'function':
      return step.executor.ref;
  }
}

async function executeStep(ctx: ExecutionContext, scope: RunScope, step: StepPlan, at: NodeInput): Promise<StepOutput> {
  switch (step.executor.kind) {
    case 'agent':
      return { content: await runAgent(ctx, step.executor.agent, at.content) };
    case 'team':
      return { content: await runTeam(ctx, step.executor.team, at.content) };
    case 'function':
      return ctx.activities.tool.runFunctionStep.executeWithOptions({ summary: `${step.name} · function` }, [
        { ref: step.executor.ref, stepInput: stepInput(scope, at) },
      ]);
  }
}
