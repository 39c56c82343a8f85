/**
 * The Temporal workflow of one run: interprets a workflow plan step by step.
 *
 * Deterministic code only. Side effects (model calls, tool calls, user functions) are activities;
 * the plan arrives as input, so the history alone replays the run.
 */
import {
  ApplicationFailure,
  condition,
  isCancellation,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunInput, StepPlan } from '../plan/types.ts';
import type { RunState, RunStatus, StepResult } from '../events/types.ts';
import type { StepOutput } from '../activities/types.ts';
import { abortSignal, contentDeltaSignal, EVENTS_PAGE_LIMIT, eventsQuery, inputQuery, retrySignal, stateQuery } from './api.ts';
import { runActivities } from './activity-proxies.ts';
import type { RunActivities } from './activity-proxies.ts';
import { emptyUsage } from './context.ts';
import type { EventFields, ExecutionContext } from './context.ts';
import { CURRENT_STEP_ATTRIBUTE, RUN_STATUS_ATTRIBUTE } from './search-attributes.ts';
import { EventLog } from './event-log.ts';
import { runAgent, runTeam } from './executors.ts';
import { errorMessage } from './model-loop.ts';

export async function WorkflowRun(run: RunInput): Promise<RunState> {
  const { workflowId } = workflowInfo();
  const startedAt = Date.now();
  const resume = run.resume;
  const log = new EventLog(
    { run_id: workflowId, workflow_id: run.plan.id, workflow_name: run.plan.name, session_id: run.sessionId },
    resume?.events,
  );
  const state: RunState = {
    run_id: workflowId,
    workflow_id: run.plan.id,
    workflow_name: run.plan.name,
    session_id: run.sessionId,
    user_id: run.userId,
    input: run.input,
    status: 'RUNNING',
    step_results: [...(resume?.stepResults ?? [])],
    metrics: { steps: {} },
    created_at: resume?.createdAt ?? Math.floor(startedAt / 1000),
    last_event_index: -1,
  };
  for (const result of state.step_results) recordStepMetrics(state, result);
  let decision: 'retry' | 'abort' | undefined;
  setHandler(eventsQuery, (after, limit) => log.after(after, Math.min(limit ?? EVENTS_PAGE_LIMIT, EVENTS_PAGE_LIMIT)));
  setHandler(stateQuery, () => ({ ...state, last_event_index: log.lastIndex }));
  setHandler(inputQuery, () => {
    const { resume: _carried, ...input } = run;
    return input;
  });
  setHandler(contentDeltaSignal, (batch) => log.acceptDelta(batch));
  setHandler(retrySignal, () => void (decision ??= state.status === 'PAUSED' ? 'retry' : undefined));
  setHandler(abortSignal, () => void (decision ??= state.status === 'PAUSED' ? 'abort' : undefined));

  const setStatus = (status: RunStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: RUN_STATUS_ATTRIBUTE, value: status }]);
  };
  const activities = runActivities(run.timeouts);
  setStatus('RUNNING');
  const firstStep = state.step_results.length;
  log.emit('WorkflowStarted', {
    input: run.input,
    ...(resume ? { attempt: resume.attempt, resumed_from_step: run.plan.steps[firstStep]?.name } : {}),
  });
  try {
    for (let index = firstStep; index < run.plan.steps.length; index++) {
      const step = run.plan.steps[index]!;
      state.current_step = step.name;
      upsertSearchAttributes([{ key: CURRENT_STEP_ATTRIBUTE, value: step.name }]);
      setCurrentDetails(`**Step ${index + 1} of ${run.plan.steps.length}:** ${step.name}`);
      const stepFields = { step_id: step.id, step_name: step.name, step_index: index };
      // Agno's chaining: the first step gets the workflow input, each later step the previous step's content.
      const input = index === 0 ? run.input : state.step_results[index - 1]!.content;
      let result: StepResult | undefined;
      for (let attempt = 1; !result; attempt++) {
        try {
          result = await runStep(log, activities, workflowId, step, stepFields, attempt, input, run, state.step_results);
        } catch (err) {
          if (isCancellation(err) || run.plan.onFailure !== 'hold') throw err;
          // Hold: wait (days if need be) for a fix to be deployed and a retry, or for an abort.
          state.error = errorMessage(err);
          setStatus('PAUSED');
          log.emit('WorkflowPaused', { status: 'PAUSED', error: state.error, paused_step_name: step.name, paused_step_index: index, ...stepFields });
          setCurrentDetails(`**Paused** at ${step.name}: ${state.error}. Retry or abort the run.`);
          await condition(() => decision !== undefined);
          const chosen = decision;
          decision = undefined;
          if (chosen === 'abort') throw err;
          state.error = undefined;
          setStatus('RUNNING');
        }
      }
      state.step_results.push(result);
      recordStepMetrics(state, result);
      if (result.stop) break;
    }
    state.content = state.step_results.at(-1)?.content ?? '';
    setStatus('COMPLETED');
    state.metrics.duration = (Date.now() - startedAt) / 1000;
    state.current_step = undefined;
    log.emit('WorkflowCompleted', {
      content: state.content,
      content_type: 'str',
      status: 'COMPLETED',
      step_results: state.step_results,
      metrics: state.metrics,
    });
    setCurrentDetails('**Completed**');
    return state;
  } catch (err) {
    state.metrics.duration = (Date.now() - startedAt) / 1000;
    if (isCancellation(err)) {
      setStatus('CANCELLED');
      const reason = 'The run was cancelled.';
      log.emit('WorkflowCancelled', { status: 'CANCELLED', reason, content: reason, ...currentStepFields(run, state) });
      setCurrentDetails('**Cancelled**');
      throw err;
    }
    setStatus('ERROR');
    state.error = errorMessage(err);
    log.emit('WorkflowError', { status: 'ERROR', error: state.error, ...currentStepFields(run, state) });
    setCurrentDetails(`**Failed** at ${state.current_step ?? 'start'}: ${state.error}`);
    // Fail the execution so the Web UI shows the run as failed; the state query still answers.
    throw ApplicationFailure.nonRetryable(state.error, 'RunFailed');
  }
}

/** One attempt at one step: its events, its executor, its result. Throws when the step fails. */
async function runStep(
  log: EventLog,
  activities: RunActivities,
  workflowId: string,
  step: StepPlan,
  stepFields: EventFields,
  attempt: number,
  input: string,
  run: RunInput,
  earlier: StepResult[],
): Promise<StepResult> {
  log.emit('StepStarted', { ...stepFields, ...(attempt > 1 ? { attempt } : {}) });
  const ctx: ExecutionContext = { log, activities, workflowId, path: [], stepFields, usage: emptyUsage() };
  const started = Date.now();
  const output = await executeStep(ctx, step, input, run, earlier);
  const result: StepResult = {
    step_id: step.id,
    step_name: step.name,
    step_type: 'Step',
    executor_type: step.executor.kind,
    executor_name: executorName(step),
    content: output.content,
    success: output.success ?? true,
    error: output.error,
    stop: output.stop,
    metrics: { ...ctx.usage, duration: (Date.now() - started) / 1000 },
  };
  log.emit('StepCompleted', { ...stepFields, content: result.content, content_type: 'str', step_response: result });
  if (!result.success) throw ApplicationFailure.nonRetryable(result.error ?? `Step ${step.name} failed`, 'StepFailed');
  return result;
}

function recordStepMetrics(state: RunState, result: StepResult): void {
  state.metrics.steps[result.step_name] = {
    step_name: result.step_name,
    executor_type: result.executor_type,
    executor_name: result.executor_name,
    metrics: result.metrics ?? emptyUsage(),
  };
}

function currentStepFields(run: RunInput, state: RunState): Record<string, unknown> {
  const index = run.plan.steps.findIndex((step) => step.name === state.current_step);
  if (index < 0) return {};
  return { step_id: run.plan.steps[index]!.id, step_name: state.current_step, step_index: index };
}

function executorName(step: StepPlan): string {
  switch (step.executor.kind) {
    case 'agent':
      return step.executor.agent.name;
    case 'team':
      return step.executor.team.name;
    case 'function':
      return step.executor.ref;
  }
}

async function executeStep(
  ctx: ExecutionContext,
  step: StepPlan,
  input: string,
  run: RunInput,
  earlier: StepResult[],
): Promise<StepOutput> {
  switch (step.executor.kind) {
    case 'agent':
      return { content: await runAgent(ctx, step.executor.agent, input) };
    case 'team':
      return { content: await runTeam(ctx, step.executor.team, input) };
    case 'function': {
      const previousStepOutputs = Object.fromEntries(earlier.map((result) => [result.step_name, result.content]));
      return ctx.activities.tool.runFunctionStep.executeWithOptions({ summary: `${step.name} · function` }, [
        {
          ref: step.executor.ref,
          stepInput: {
            input: run.input,
            previousStepContent: earlier.at(-1)?.content,
            previousStepOutputs,
            additionalData: run.additionalData,
          },
        },
      ]);
    }
  }
}
