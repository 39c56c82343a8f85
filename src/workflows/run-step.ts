/**
 * One step of a plan: the person it may wait for, its attempts under its error policy (fail the
 * run, skip the step, or pause until a retry), its events, and its executor (agent, team,
 * function or nested workflow).
 */
import { ContinueAsNew, isCancellation, uuid4 } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import { executorName } from '../contracts/plan.ts';
import type { AgentCheckpoint, StepErrorPolicy, StepPlan } from '../contracts/plan.ts';
import type { ExecutorRunMetrics, StepFields, StepResult } from '../contracts/events.ts';
import type { StepOutput } from '../contracts/activities.ts';
import { runActivities } from './activity-proxies.ts';
import { runChildWorkflow } from './child-workflow.ts';
import { addReportedMetrics, emptyMetrics } from './run-metrics.ts';
import type { ExecutionContext, TurnCheckpoints } from './context.ts';
import { errorMessage } from './error-message.ts';
import { runAgent, runTeam } from './executors.ts';
import { stepInput } from './run-scope.ts';
import type { NodeInput, RunScope } from './run-scope.ts';
import { runFunctionStep } from './user-functions.ts';

export async function runStepWithPolicy(scope: RunScope, step: StepPlan, at: NodeInput): Promise<StepResult> {
  const policy: StepErrorPolicy = step.onError ?? (scope.run.plan.onFailure === 'hold' ? 'pause' : 'fail');
  const fields: StepFields = { step_id: step.id, step_name: step.name, step_index: at.index };
  // An agent step the run continued as new inside: its person answered already, its attempt goes on.
  const resumed = at.topLevel ? scope.resumeAt(at.index, 'agent') : undefined;
  let userInput: Record<string, unknown> | undefined = resumed?.userInput;
  if (step.human && !resumed) {
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
        step_type: 'Step',
        on_reject: human.onReject,
        on_timeout: human.onTimeout,
        // Date.now() is the workflow task's time: deterministic.
        ...(human.timeoutMs !== undefined ? { timeout_at: new Date(Date.now() + human.timeoutMs).toISOString() } : {}),
        requires_route_selection: false,
        allow_multiple_selections: false,
        requires_output_review: false,
        is_post_execution: false,
        retry_count: 0,
        max_retries: 0,
      },
      human.timeoutMs,
    );
    const outcome = !answer ? human.onTimeout : answer.confirmed === false ? human.onReject : 'approve';
    const why = !answer ? `nobody answered within ${human.timeoutMs} ms` : 'rejected by the user';
    if (outcome === 'fail') throw ApplicationFailure.nonRetryable(`Step ${step.name} was not run: ${why}.`, 'StepRejected');
    if (outcome === 'skip') return skip(scope, step, fields, at, `Step ${step.name} was skipped: ${why}.`);
    userInput = answer?.user_input;
  }
  for (let attempt = resumed?.attempt ?? 1; ; attempt++) {
    try {
      const result = await runStep(scope, step, fields, attempt, userInput ? { ...at, userInput } : at, attempt === resumed?.attempt ? resumed : undefined);
      scope.outputs[step.name] = result.content;
      return result;
    } catch (err) {
      if (isCancellation(err) || err instanceof ContinueAsNew || policy === 'fail') throw err;
      const error = errorMessage(err);
      if (policy === 'skip') return skip(scope, step, fields, at, error);
      if ((await scope.pause(step, fields, error)) === 'abort') throw err;
    }
  }
}

/** A step not run (or failed and skipped): the chain goes on with the content it was given. */
function skip(scope: RunScope, step: StepPlan, fields: StepFields, at: NodeInput, error: string): StepResult {
  scope.log.emit('StepError', { ...fields, error });
  return { ...stepResult(step, at.content, emptyMetrics(), 0), success: false, error };
}

/**
 * One attempt at one step: its events, its executor, its result. Throws when the step fails.
 * `resumed`: the attempt started in an earlier execution of the run, which continued as new inside it.
 */
async function runStep(scope: RunScope, step: StepPlan, fields: StepFields, attempt: number, at: NodeInput, resumed?: AgentCheckpoint): Promise<StepResult> {
  if (!resumed) scope.log.emit('StepStarted', { ...fields, ...(attempt > 1 ? { attempt } : {}) });
  // A step's own retry count replaces the run's for the step's activities.
  const activities = step.retries === undefined ? scope.activities : runActivities({ ...scope.run.timeouts, maximumAttempts: step.retries + 1 }, scope.recorder);
  const ctx: ExecutionContext = {
    log: scope.log,
    activities,
    workflowId: scope.workflowId,
    path: [],
    stepFields: fields,
    usage: resumed ? (JSON.parse(JSON.stringify(resumed.usage)) as ExecutorRunMetrics) : emptyMetrics(),
    recordRun: (run) => scope.recordExecutorRun({ ...run, workflow_step_id: step.id }),
    ...(scope.run.plan.runnable ? { sessionHistory: { workflowId: scope.run.plan.id, sessionId: scope.run.sessionId } } : {}),
    // Calls of a top-level step's agent or team have reuse keys: a retry of the run goes on from the call that failed.
    // Inside groups (a Loop's iterations, a Parallel) a key would not name one call, so none is given there.
    ...(at.topLevel && (step.executor.kind === 'agent' || step.executor.kind === 'team')
      ? { calls: { key: `step-${at.index}`, ...(scope.run.reusedCalls ? { reused: scope.run.reusedCalls } : {}) } }
      : {}),
    // Only an agent's or team's own run has a person to answer its (members') tools: its continue route (AgentOS).
    ...(scope.run.plan.runnable && (step.executor.kind === 'agent' || step.executor.kind === 'team') ? { askTools: (requirements, paused) => scope.askTools(requirements, { ...paused, workflow_step_id: step.id }) } : {}),
  };
  const started = resumed?.stepStartedAtMs ?? Date.now();
  const turns: TurnCheckpoints | undefined =
    at.topLevel && step.executor.kind === 'agent'
      ? {
          ...(resumed ? { resume: resumed } : {}),
          checkpoint: (state) =>
            scope.checkpoint({ stepIndex: at.index, inside: { kind: 'agent', attempt, stepStartedAtMs: started, ...(at.userInput ? { userInput: at.userInput } : {}), ...state } }),
        }
      : undefined;
  // The agent's or team's run, named here for the step's result; uuid4() is called where the
  // executor called it before, so runs recorded earlier replay with the same ids. An agent's or
  // team's own run is the run itself: clients start, poll and cancel it by that one id.
  const executorRunId =
    step.executor.kind === 'agent' || step.executor.kind === 'team' ? (resumed?.agentRunId ?? (scope.run.plan.runnable ? scope.workflowId : uuid4())) : undefined;
  const output = await executeStep(ctx, scope, step, at, turns, executorRunId);
  addReportedMetrics(ctx.usage, output.metrics);
  const result: StepResult = {
    ...stepResult(step, output.content, ctx.usage, (Date.now() - started) / 1000),
    success: output.success ?? true,
    error: output.error,
    stop: output.stop ?? false,
    ...(executorRunId !== undefined ? { step_run_id: executorRunId } : {}),
  };
  scope.log.emit('StepCompleted', { ...fields, content: result.content, content_type: 'str', step_response: result });
  if (!result.success) throw ApplicationFailure.nonRetryable(result.error ?? `Step ${step.name} failed`, 'StepFailed');
  return result;
}

function stepResult(step: StepPlan, content: string, usage: ExecutorRunMetrics, seconds: number): StepResult {
  return {
    step_id: step.id,
    step_name: step.name,
    step_type: 'Step',
    executor_type: step.executor.kind,
    executor_name: executorName(step),
    content,
    success: true,
    stop: false,
    is_paused: false,
    metrics: { ...usage, duration: seconds },
  };
}

/** An agent's or team's message: the chained content, with what a person entered for the step. */
function messageOf(at: NodeInput): string {
  return at.userInput ? `${at.content}\n\nInput from the user: ${JSON.stringify(at.userInput)}` : at.content;
}

async function executeStep(
  ctx: ExecutionContext,
  scope: RunScope,
  step: StepPlan,
  at: NodeInput,
  turns: TurnCheckpoints | undefined,
  executorRunId: string | undefined,
): Promise<StepOutput> {
  switch (step.executor.kind) {
    case 'agent':
      return { content: await runAgent(ctx, step.executor.agent, messageOf(at), undefined, turns, executorRunId) };
    case 'team':
      return { content: await runTeam(ctx, step.executor.team, messageOf(at), undefined, executorRunId) };
    case 'workflow':
      return runChildWorkflow(scope, step, step.executor.workflow, messageOf(at));
    case 'function':
      return runFunctionStep(ctx.activities, step, step.executor, stepInput(scope, at));
  }
}
