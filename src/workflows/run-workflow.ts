/**
 * The Temporal workflow of one run: interprets a workflow plan step by step.
 *
 * Deterministic code only. Side effects (model calls, tool calls, user functions) are activities;
 * the plan arrives as input, so the history alone replays the run.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  isCancellation,
  log as workflowLogger,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RunInput } from '../contracts/plan.ts';
import type { RunState, RunStatus, StepFields, StepRequirement, StepResult } from '../contracts/events.ts';
import {
  contentDeltaSignal,
  EVENT_PAGE_BYTES,
  MAX_EVENT_PAGE_BYTES,
  eventPageQuery,
  EVENTS_PAGE_LIMIT,
  eventsQuery,
  inputQuery,
  isContentDeltaBatch,
  stateQuery,
} from '../contracts/run-workflow-api.ts';
import { runActivities } from './activity-proxies.ts';
import { RunRecorder } from './run-recorder.ts';
import { receiveAnswers } from './run-answers.ts';
import { receiveToolAnswers } from './tool-answers.ts';
import { continueAsNewDue, continueAsNewFrom } from './continue-as-new.ts';
import { stepMetrics } from './run-metrics.ts';
import { keepExecutorRun } from './executor-runs.ts';
import { executorRunOutput } from '../contracts/executor-runs.ts';
import { flattenStepResults } from '../contracts/run-details.ts';
import { runNode } from './nodes.ts';
import { RunClock, withinRunTimeout } from './run-timeout.ts';
import type { RunScope } from './run-scope.ts';
import { CURRENT_STEP_ATTRIBUTE, RUN_STATUS_ATTRIBUTE } from '../contracts/search-attributes.ts';
import { EventLog } from './event-log.ts';
import { errorMessage } from './error-message.ts';
import { cancellationStage, keepTokenTotals, requirementInput } from './run-state.ts';
import { followResets, resetsSettled } from './reset-log.ts';
import { resetsObserved } from './reset-observer.ts';
import type { RunWorkflow } from '../contracts/run-workflow-api.ts';

export async function WorkflowRun(run: RunInput): Promise<RunState> {
  const { workflowId } = workflowInfo();
  const resume = run.resume;
  // Set when an earlier execution of this run continued as new: go on where it stopped.
  const continued = run.continued;
  const startedAt = continued?.startedAtMs ?? Date.now();
  const log = new EventLog(
    { run_id: workflowId, workflow_id: run.plan.id, workflow_name: run.plan.name, session_id: run.sessionId },
    continued?.log ?? resume?.log ?? resume?.events,
    resetsObserved,
  );
  const state: RunState = {
    run_id: workflowId,
    workflow_id: run.plan.id,
    workflow_name: run.plan.name,
    session_id: run.sessionId,
    user_id: run.userId,
    input: run.input,
    status: 'RUNNING',
    step_results: [...(continued?.stepResults ?? resume?.stepResults ?? [])],
    step_executor_runs: [...(continued?.executorRuns ?? resume?.executorRuns ?? [])],
    metrics: { steps: {} },
    created_at: continued?.createdAt ?? resume?.createdAt ?? Math.floor(startedAt / 1000),
    last_event_index: -1,
  };
  if (run.metadata !== undefined) state.metadata = run.metadata;
  for (const result of state.step_results) recordStepMetrics(state, result);
  setHandler(eventsQuery, (after, limit) => log.after(after, Math.min(limit ?? EVENTS_PAGE_LIMIT, EVENTS_PAGE_LIMIT), EVENT_PAGE_BYTES));
  setHandler(eventPageQuery, (after, maxBytes) => log.page(after, Math.min(maxBytes ?? EVENT_PAGE_BYTES, MAX_EVENT_PAGE_BYTES)));
  // The state as readers get it: the `state` query's answer, and the run store's row.
  const snapshot = (): RunState => ({ ...state, last_event_index: log.lastIndex });
  setHandler(stateQuery, snapshot);
  setHandler(inputQuery, () => {
    const { resume: _carried, continued: _position, reusedCalls: _reused, ...input } = run;
    return input;
  });
  // Signals may come by hand (Web UI, CLI), at any time and with any payload: one the run cannot
  // use now is ignored with a log line. Throwing would fail the workflow task again at every retry.
  const ignoreSignal = (name: string, why: string) => workflowLogger.warn(`Ignored the '${name}' signal: ${why}`, { runId: workflowId });
  setHandler(contentDeltaSignal, (batch: unknown) => {
    if (isContentDeltaBatch(batch)) log.acceptDelta(batch);
    else ignoreSignal('contentDelta', 'its payload is not a content delta batch.');
  });
  const inbox = receiveAnswers(state, log, ignoreSignal);
  receiveToolAnswers(state, log, inbox);

  const setStatus = (status: RunStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: RUN_STATUS_ATTRIBUTE, value: status }]);
  };
  const recorder = new RunRecorder(log, snapshot);
  const activities = runActivities(run.timeouts, recorder);
  followResets(log, activities);
  // A run cancelled in its session's queue never started: it waits only for the cancellation, sent with its start.
  const neverStarted = run.cancelledInQueue === true;
  if (neverStarted) state.status = 'PENDING';
  else setStatus('RUNNING');
  const firstStep = continued?.stepIndex ?? state.step_results.length;
  // A continued run has started already: its log goes on where the last execution left it.
  if (!continued && !neverStarted) {
    log.emit('WorkflowStarted', {
      input: run.input,
      ...(resume ? { attempt: resume.attempt, resumed_from_step: run.plan.steps[firstStep]?.name } : {}),
    });
  }
  // Events a task made with nothing scheduled to carry them reach the store when the task commits, not with the next activity.
  void recorder.writeWhenIdle((why) => scope.writeToRunStore(why));
  let resumeInside = continued?.inside;
  // The run's time limit stands still while a person is awaited (see run-timeout.ts).
  const clock = new RunClock(run.timeout);
  const scope: RunScope = {
    run,
    log,
    activities,
    recorder,
    writeToRunStore: (why) => recorder.flush(why, (summary) => activities.store.recordRun.executeWithOptions({ summary }, [{}])),
    workflowId,
    outputs: continued?.outputs ?? Object.fromEntries(flattenStepResults(state.step_results).map((result) => [result.step_name, result.content])),
    // Hold: wait (days if need be) for a fix to be deployed and a retry, or for an abort.
    async pause(step, fields, error) {
      state.error = error;
      state.paused_step_name = step.name;
      state.paused_step_index = fields.step_index;
      setStatus('PAUSED');
      log.emit('WorkflowPaused', { status: 'PAUSED', error, paused_step_name: step.name, paused_step_index: fields.step_index, ...fields });
      setCurrentDetails(`**Paused** at ${step.name}: ${error}. Retry or abort the run.`);
      await scope.writeToRunStore('held for a decision');
      await clock.whilePersonDecides(() => condition(() => inbox.decision !== undefined));
      const chosen = inbox.decision!;
      inbox.decision = undefined;
      if (chosen === 'retry') {
        state.error = undefined;
        state.paused_step_name = state.paused_step_index = undefined;
        setStatus('RUNNING');
        setCurrentDetails(`**Step ${state.step_results.length + 1} of ${run.plan.steps.length}:** ${state.current_step}`);
      }
      return chosen;
    },
    // A person decides: the run waits (days if need be, surviving any restart) for the answer.
    async ask(asked, timeoutMs) {
      const requirement: StepRequirement & StepFields = { ...asked, step_input: requirementInput(run, state) };
      const asksBefore = state.step_requirements ?? [];
      state.step_requirements = [...asksBefore, requirement];
      state.pause_kind = 'step';
      state.paused_step_name = requirement.step_name;
      state.paused_step_index = requirement.step_index;
      setStatus('PAUSED');
      const fields = { step_id: requirement.step_id, step_name: requirement.step_name, step_index: requirement.step_index };
      log.emit('WorkflowPaused', { status: 'PAUSED', pause_kind: 'step', step_requirements: [requirement], paused_step_name: requirement.step_name, paused_step_index: requirement.step_index, ...fields });
      setCurrentDetails(`**Waiting for you** at ${requirement.step_name}: ${requirement.confirmation_message ?? requirement.user_input_message ?? ''}`);
      await scope.writeToRunStore('waiting for a person');
      const answered = await clock.whilePersonDecides(async () => (timeoutMs === undefined ? (await condition(() => inbox.answer !== undefined), true) : await condition(() => inbox.answer !== undefined, timeoutMs)));
      const given = answered ? inbox.answer : undefined;
      inbox.answer = undefined;
      // Kept as history, with the answer (Agno shows a continued run's requirements so).
      state.step_requirements = [...asksBefore, given ? { ...requirement, ...given } : requirement];
      state.pause_kind = state.paused_step_name = state.paused_step_index = undefined;
      setStatus('RUNNING');
      log.emit('StepContinued', { ...fields, step_requirements: given ? [{ ...requirement, ...given }] : [] });
      return given;
    },
    // The agent's tool calls wait for a person: as `ask`, for as long as it takes (tool-pauses.ts).
    async askTools(requirements, paused) {
      state.tool_requirements = requirements;
      // The agent's run as it stands, shown while it waits (its record replaces it when it ends).
      keepExecutorRun((state.step_executor_runs ??= []), paused);
      setStatus('PAUSED');
      setCurrentDetails(`**Waiting for you** at ${requirements.map((requirement) => requirement.tool_execution.tool_name).join(', ')}: continue the run with the tools' answers.`);
      try {
        await scope.writeToRunStore('waiting for a person');
        await clock.whilePersonDecides(() => condition(() => inbox.tools !== undefined));
      } finally {
        // Answered or cancelled meanwhile: the agent's run records itself as it goes on or ends.
        state.step_executor_runs = state.step_executor_runs.filter((kept) => kept !== paused);
      }
      const answers = inbox.tools!;
      inbox.tools = state.tool_requirements = undefined;
      setStatus('RUNNING');
      setCurrentDetails(`**Step ${state.step_results.length + 1} of ${run.plan.steps.length}:** ${state.current_step}`);
      return answers;
    },
    async checkpoint(position) {
      if (!continueAsNewDue(log, run.historyBudget)) return;
      await continueAsNewFrom(run, log, activities, {
        stepResults: state.step_results,
        executorRuns: state.step_executor_runs,
        outputs: scope.outputs,
        createdAt: state.created_at,
        startedAtMs: startedAt,
        ...position,
      });
    },
    recordExecutorRun(executorRun) {
      keepExecutorRun((state.step_executor_runs ??= []), executorRun);
    },
    resumeAt(stepIndex, kind) {
      const inside = stepIndex === firstStep && resumeInside?.kind === kind ? resumeInside : undefined;
      if (inside) resumeInside = undefined;
      return inside as never;
    },
  };
  try {
    // A run cancelled while queued runs nothing: it waits here for the queue's cancellation to reach it.
    if (neverStarted) await condition(() => false);
    await withinRunTimeout(run, clock, async () => {
      for (let index = firstStep; index < run.plan.steps.length; index++) {
        if (index > firstStep) await scope.checkpoint({ stepIndex: index });
        const node = run.plan.steps[index]!;
        state.current_step = node.name;
        upsertSearchAttributes([{ key: CURRENT_STEP_ATTRIBUTE, value: node.name }]);
        setCurrentDetails(`**Step ${index + 1} of ${run.plan.steps.length}:** ${node.name}`);
        // Agno's chaining: the first step gets the workflow input, each later step the previous step's content.
        const previous = state.step_results.at(-1)?.content;
        const result = await runNode(scope, node, { index, content: previous ?? run.input, previous, topLevel: true });
        state.step_results.push(result);
        recordStepMetrics(state, result);
        keepTokenTotals(state);
        if (result.stop) break;
      }
    });
    state.content = state.step_results.at(-1)?.content ?? '';
    await resetsSettled(log);
    setStatus('COMPLETED');
    state.metrics.duration = (Date.now() - startedAt) / 1000;
    state.current_step = undefined;
    log.emit('WorkflowCompleted', {
      content: state.content,
      content_type: 'str',
      status: 'COMPLETED',
      step_results: state.step_results,
      metrics: state.metrics,
      metadata: run.metadata ?? {},
      step_executor_runs: (state.step_executor_runs ?? []).map((executorRun) => executorRunOutput(executorRun, run.sessionId)),
    });
    setCurrentDetails('**Completed**');
    // The end is written whatever comes now: a cancellation arriving meanwhile must not end the run twice.
    await CancellationScope.nonCancellable(() => scope.writeToRunStore('completed'));
    return state;
  } catch (err) {
    // Not an end: the run goes on in its next execution.
    if (err instanceof ContinueAsNew) throw err;
    await resetsSettled(log);
    state.metrics.duration = (Date.now() - startedAt) / 1000;
    if (isCancellation(err)) {
      state.cancellation_stage = cancellationStage(state);
      setStatus('CANCELLED');
      // Agno's words for a cancelled run, which it also gives as the run's content.
      const reason = `Run ${workflowId} was cancelled`;
      state.content = reason;
      state.pause_kind = state.paused_step_name = state.paused_step_index = state.tool_requirements = undefined;
      log.emit('WorkflowCancelled', { status: 'CANCELLED', reason, content: reason, ...currentStepFields(run, state) });
      setCurrentDetails('**Cancelled**');
      await CancellationScope.nonCancellable(() => scope.writeToRunStore('cancelled'));
      throw err;
    }
    setStatus('ERROR');
    state.error = errorMessage(err);
    log.emit('WorkflowError', { status: 'ERROR', error: state.error, ...currentStepFields(run, state) });
    setCurrentDetails(`**Failed** at ${state.current_step ?? 'start'}: ${state.error}\n\n${RETRY_SAFELY}`);
    await CancellationScope.nonCancellable(() => scope.writeToRunStore('failed'));
    // Fail the execution so the Web UI shows the run as failed; the state query still answers.
    throw ApplicationFailure.nonRetryable(state.error, 'RunFailed');
  }
}

/**
 * How an operator looking at a failed run in the Web UI retries it without losing work. Both
 * ways keep the run's one log (a Web UI Reset gets a `WorkflowReset` event, see reset-log.ts);
 * they differ in what they redo.
 */
const RETRY_SAFELY =
  'To retry, fix the cause, then `POST /workflows/{workflow_id}/runs/{run_id}/retry` (or `npm run cli -- retry <workflow> <run_id>`): ' +
  'finished steps are kept and the failed step runs again. Reset works too and keeps the log: reset to the workflow task that ' +
  'scheduled the failed call to redo only that call; a reset to the first workflow task redoes every model and tool call (see "Failed runs" in the README).';

function recordStepMetrics(state: RunState, result: StepResult): void {
  state.metrics.steps[result.step_name] = {
    step_name: result.step_name,
    executor_type: result.executor_type,
    executor_name: result.executor_name,
    metrics: stepMetrics(result),
  };
}

/** The step that was running when the run ended, if one was. */
function currentStepFields(run: RunInput, state: RunState): Partial<StepFields> {
  const index = run.plan.steps.findIndex((step) => step.name === state.current_step);
  if (index < 0) return {};
  return { step_id: run.plan.steps[index]!.id, step_name: state.current_step, step_index: index };
}

// The engine starts runs by this signature without importing workflow code; keep the two in step.
WorkflowRun satisfies RunWorkflow;
