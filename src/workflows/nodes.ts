/**
 * Runs the nodes of a plan: steps (agent, team or function) and Agno's building blocks around
 * them (Parallel, Condition, Loop, Router, Steps). Deterministic: every user function and every
 * executor's side effect is an activity.
 */
import { executeChild, isCancellation, uuid4 } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import type { RunInput, StepErrorPolicy, StepNodePlan, StepPlan, WorkflowPlan } from '../contracts/plan.ts';
import { isStepPlan } from '../contracts/plan.ts';
import type { RunState, StepRequirement, StepResult, StepType } from '../contracts/events.ts';
import { RUN_WORKFLOW_TYPE } from '../contracts/run-workflow-api.ts';
import { initialRunAttributes } from '../contracts/search-attributes.ts';
import type { StepInputData, StepOutput } from '../contracts/activities.ts';
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
  /** Holds the run until a person answers the requirement; undefined when the wait timed out. */
  ask(requirement: StepRequirement, timeoutMs: number | undefined): Promise<StepRequirement | undefined>;
}

/** A node's place: the top-level step index its events carry, and the content it starts from. */
export interface NodeInput {
  index: number;
  /** Content of the previous step in the chain; the workflow input for the first step. */
  content: string;
  /** Content of the previous step, if there is one (Agno's `previousStepContent`). */
  previous?: string;
  /** What a person entered for this step. */
  userInput?: Record<string, unknown>;
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
  return {
    input: scope.run.input,
    previousStepContent: at.previous,
    previousStepOutputs: { ...scope.outputs },
    additionalData: scope.run.additionalData,
    ...(at.userInput ? { userInput: at.userInput } : {}),
  };
}

/**
 * A nested workflow runs as a child workflow: its own run (listable, with its own event log and
 * Web UI page), cancelled with its parent.
 */
async function runChildWorkflow(scope: RunScope, step: StepPlan, plan: WorkflowPlan, input: string): Promise<StepOutput> {
  const run = scope.run;
  const child: RunInput = { plan, input, sessionId: run.sessionId };
  if (run.userId !== undefined) child.userId = run.userId;
  if (run.additionalData !== undefined) child.additionalData = run.additionalData;
  if (run.timeouts !== undefined) child.timeouts = run.timeouts;
  const state = await executeChild<(input: RunInput) => Promise<RunState>>(RUN_WORKFLOW_TYPE, {
    // uuid4() is deterministic in workflow code: a replay names the same child.
    workflowId: `${scope.workflowId}.${step.id}.${uuid4().slice(0, 8)}`,
    args: [child],
    memo: { workflow_id: plan.id, workflow_name: plan.name, session_id: run.sessionId, input: input.slice(0, 120), parent_run_id: scope.workflowId, ...(run.userId !== undefined ? { user_id: run.userId } : {}) },
    typedSearchAttributes: initialRunAttributes(plan.id, run.sessionId, run.userId),
    staticSummary: `${plan.name} (in ${run.plan.name} › ${step.name})`,
  });
  return { content: state.content ?? '' };
}

function asStepOutput(result: StepResult): StepOutput {
  return { content: result.content, success: result.success, ...(result.error ? { error: result.error } : {}), ...(result.stop ? { stop: true } : {}) };
}

/** A step, with its error policy: fail the run, skip the step, or pause until a retry. */
async function runStepWithPolicy(scope: RunScope, step: StepPlan, at: NodeInput): Promise<StepResult> {
  const policy: StepErrorPolicy = step.onError ?? (scope.run.plan.onFailure === 'hold' ? 'pause' : 'fail');
  const fields: EventFields = { step_id: step.id, step_name: step.name, step_index: at.index };
  let userInput: Record<string, unknown> | undefined;
  if (step.human) {
    const human = step.human;
    const answer = await scope.ask(
      {
        step_id: step.id,
        step_name: step.name,
        step_index: at.index,
        requires_confirmation: human.confirmationMessage !== undefined,
        ...(human.confirmationMessage !== undefined ? { confirmation_message: human.confirmationMessage } : {}),
        requires_user_input: human.userInput !== undefined,
        ...(human.userInput ? { user_input_message: human.userInput.message, user_input_schema: human.userInput.schema } : {}),
      },
      human.timeoutMs,
    );
    const outcome = !answer ? human.onTimeout : answer.confirmed === false ? human.onReject : 'approve';
    const why = !answer ? `nobody answered within ${human.timeoutMs} ms` : 'rejected by the user';
    if (outcome === 'fail') throw ApplicationFailure.nonRetryable(`Step ${step.name} was not run: ${why}.`, 'StepRejected');
    if (outcome === 'skip') return skip(scope, step, fields, at, `Step ${step.name} was skipped: ${why}.`);
    userInput = answer?.user_input;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await runStep(scope, step, fields, attempt, userInput ? { ...at, userInput } : at);
      scope.outputs[step.name] = result.content;
      return result;
    } catch (err) {
      if (isCancellation(err) || policy === 'fail') throw err;
      const error = errorMessage(err);
      if (policy === 'skip') return skip(scope, step, fields, at, error);
      if ((await scope.pause(step, fields, error)) === 'abort') throw err;
    }
  }
}

/** A step not run (or failed and skipped): the chain goes on with the content it was given. */
function skip(scope: RunScope, step: StepPlan, fields: EventFields, at: NodeInput, error: string): StepResult {
  scope.log.emit('StepError', { ...fields, error });
  return { ...stepResult(step, at.content, emptyUsage(), 0), success: false, error };
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
    case 'workflow':
      return step.executor.workflow.name;
  }
}

/** An agent's or team's message: the chained content, with what a person entered for the step. */
function messageOf(at: NodeInput): string {
  return at.userInput ? `${at.content}\n\nInput from the user: ${JSON.stringify(at.userInput)}` : at.content;
}

async function executeStep(ctx: ExecutionContext, scope: RunScope, step: StepPlan, at: NodeInput): Promise<StepOutput> {
  switch (step.executor.kind) {
    case 'agent':
      return { content: await runAgent(ctx, step.executor.agent, messageOf(at)) };
    case 'team':
      return { content: await runTeam(ctx, step.executor.team, messageOf(at)) };
    case 'workflow':
      return runChildWorkflow(scope, step, step.executor.workflow, messageOf(at));
    case 'function':
      return ctx.activities.tool.runFunctionStep.executeWithOptions({ summary: `${step.name} · function` }, [
        { ref: step.executor.ref, stepInput: stepInput(scope, at) },
      ]);
  }
}
