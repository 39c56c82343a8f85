/**
 * The Temporal workflow of one run: interprets a workflow plan step by step.
 *
 * Deterministic code only. Side effects (model calls, tool calls, user functions) are activities;
 * the plan arrives as input, so the history alone replays the run.
 */
import {
  ApplicationFailure,
  isCancellation,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunInput, StepPlan } from '../plan/types.ts';
import type { RunState, StepResult } from '../events/types.ts';
import type { StepOutput } from '../activities/types.ts';
import { contentDeltaSignal, EVENTS_PAGE_LIMIT, eventsQuery, stateQuery } from './api.ts';
import { runActivities } from './activity-proxies.ts';
import { emptyUsage } from './context.ts';
import type { ExecutionContext } from './context.ts';
import { EventLog } from './event-log.ts';
import { runAgent, runTeam } from './executors.ts';
import { errorMessage } from './model-loop.ts';

export async function WorkflowRun(run: RunInput): Promise<RunState> {
  const { workflowId } = workflowInfo();
  const startedAt = Date.now();
  const log = new EventLog({
    run_id: workflowId,
    workflow_id: run.plan.id,
    workflow_name: run.plan.name,
    session_id: run.sessionId,
  });
  const state: RunState = {
    run_id: workflowId,
    workflow_id: run.plan.id,
    workflow_name: run.plan.name,
    session_id: run.sessionId,
    user_id: run.userId,
    input: run.input,
    status: 'RUNNING',
    step_results: [],
    metrics: { steps: {} },
    created_at: Math.floor(startedAt / 1000),
    last_event_index: -1,
  };
  setHandler(eventsQuery, (after, limit) => log.after(after, Math.min(limit ?? EVENTS_PAGE_LIMIT, EVENTS_PAGE_LIMIT)));
  setHandler(stateQuery, () => ({ ...state, last_event_index: log.lastIndex }));
  setHandler(contentDeltaSignal, (batch) => log.acceptDelta(batch));

  const activities = runActivities(run.timeouts);
  log.emit('WorkflowStarted', { input: run.input });
  try {
    let previous: StepResult | undefined;
    for (const [index, step] of run.plan.steps.entries()) {
      state.current_step = step.name;
      setCurrentDetails(`**Step ${index + 1} of ${run.plan.steps.length}:** ${step.name}`);
      const stepFields = { step_id: step.id, step_name: step.name, step_index: index };
      log.emit('StepStarted', stepFields);
      const ctx: ExecutionContext = { log, activities, workflowId, path: [], stepFields, usage: emptyUsage() };
      const stepStarted = Date.now();
      // Agno's chaining: the first step gets the workflow input, each later step the previous step's content.
      const input = previous ? previous.content : run.input;
      const output = await executeStep(ctx, step, input, run, state.step_results);
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
        metrics: { ...ctx.usage, duration: (Date.now() - stepStarted) / 1000 },
      };
      state.step_results.push(result);
      state.metrics.steps[step.name] = {
        step_name: step.name,
        executor_type: result.executor_type,
        executor_name: result.executor_name,
        metrics: result.metrics!,
      };
      log.emit('StepCompleted', { ...stepFields, content: result.content, content_type: 'str', step_response: result });
      if (!result.success) {
        throw ApplicationFailure.nonRetryable(result.error ?? `Step ${step.name} failed`, 'StepFailed');
      }
      previous = result;
      if (result.stop) break;
    }
    state.content = previous?.content ?? '';
    state.status = 'COMPLETED';
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
      state.status = 'CANCELLED';
      const reason = 'The run was cancelled.';
      log.emit('WorkflowCancelled', { status: 'CANCELLED', reason, content: reason, ...currentStepFields(run, state) });
      setCurrentDetails('**Cancelled**');
      throw err;
    }
    state.status = 'ERROR';
    state.error = errorMessage(err);
    log.emit('WorkflowError', { status: 'ERROR', error: state.error, ...currentStepFields(run, state) });
    setCurrentDetails(`**Failed** at ${state.current_step ?? 'start'}: ${state.error}`);
    // Fail the execution so the Web UI shows the run as failed; the state query still answers.
    throw ApplicationFailure.nonRetryable(state.error, 'RunFailed');
  }
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
