/**
 * Where a fork starts, found in the source run's log: the first event not carried, the step
 * results reused, and, for a fork inside a top-level Loop, the Loop's checkpoint before that
 * iteration (as continue-as-new would have made it). Pure: the engine reads the log and results,
 * this decides. See docs/adr/0018-fork-from-a-step.md.
 */
import type { RunEvent, RunEventOf, StepResult } from '../contracts/events.ts';
import { isStepPlan } from '../contracts/plan.ts';
import type { LoopCheckpoint, WorkflowPlan } from '../contracts/plan.ts';
import { LOOP_RESULTS_KEPT } from '../contracts/run-carry.ts';
import { InvalidRunRequestError, RunConflictError } from './errors.ts';

/** Where the caller asks to fork: a top-level step by name or index, and for a Loop an iteration (default 1). */
export interface ForkRequest {
  stepName?: string;
  stepIndex?: number;
  iteration?: number;
}

export interface ForkPoint {
  stepIndex: number;
  stepName: string;
  iteration?: number;
  /** Index of the first event the fork does not carry: its own events start here. */
  cut: number;
  /** Results of the top-level steps before the fork point, reused. */
  stepResults: StepResult[];
  /** Set when the fork starts inside a top-level Loop, after its first iteration. */
  inside?: LoopCheckpoint;
}

/**
 * The fork point for `request` in a run of `plan` whose log is `log` and whose top-level step
 * results are `results`. A place the run does not have is a conflict with what the run is (409),
 * naming what it offers: the request itself is well formed.
 */
export function findForkPoint(runId: string, plan: WorkflowPlan, log: RunEvent[], results: StepResult[], request: ForkRequest): ForkPoint {
  const stepIndex = stepIndexOf(plan, request);
  const node = plan.steps[stepIndex]!;
  // Step fields name the top-level position on every event inside it (agents, groups, iterations).
  const first = log.find((event) => event.event_index > 0 && 'step_index' in event && event.step_index === stepIndex);
  if (!first || results.length < stepIndex) {
    const reached = plan.steps.filter((_, index) => log.some((event) => 'step_index' in event && event.step_index === index)).map((step) => step.name);
    throw noForkPoint(`Run ${runId} did not reach step ${node.name}; it can be forked at: ${reached.join(', ') || 'its first step'}.`);
  }
  const point: ForkPoint = { stepIndex, stepName: node.name, cut: first.event_index, stepResults: results.slice(0, stepIndex) };
  const iteration = request.iteration ?? 1;
  if (node.kind !== 'loop') {
    if (request.iteration !== undefined) throw noForkPoint(`Step ${node.name} is not a Loop: fork at it without an iteration.`);
    return point;
  }
  if (iteration === 1) return { ...point, iteration };
  const inner = node.steps.filter(isStepPlan).map((step) => step.name);
  if (inner.length !== node.steps.length) {
    throw noForkPoint(`Loop ${node.name} holds groups of steps: fork at the Loop itself (iteration 1), or at a step before it.`);
  }
  // The Loop's latest run in the log (a retry of the run may have run it again from its start).
  const started = log.findLast((event) => event.event === 'LoopExecutionStarted' && event.step_index === stepIndex);
  const inLoop = started ? log.filter((event) => event.event_index > started.event_index) : [];
  const at = inLoop.find((event): event is RunEventOf<'LoopIterationStarted'> => event.event === 'LoopIterationStarted' && event.step_index === stepIndex && event.iteration === iteration);
  if (!at) {
    const ran = inLoop.filter((event) => event.event === 'LoopIterationStarted' && event.step_index === stepIndex).length;
    throw noForkPoint(`Loop ${node.name} of run ${runId} ran ${ran} iteration${ran === 1 ? '' : 's'}: fork at an iteration from 1 to ${ran}.`);
  }
  const done = inLoop
    .filter((event): event is RunEventOf<'StepCompleted'> => event.event === 'StepCompleted' && event.event_index < at.event_index && event.step_index === stepIndex && inner.includes(event.step_name))
    .map((event) => event.step_response);
  const content = done.at(-1)?.content;
  if (content === undefined) throw noForkPoint(`Loop ${node.name} of run ${runId} completed no step before iteration ${iteration}: fork at iteration 1.`);
  return { ...point, iteration, cut: at.event_index, inside: { kind: 'loop', nextIteration: iteration, content, results: done.slice(-LOOP_RESULTS_KEPT) } };
}

function stepIndexOf(plan: WorkflowPlan, request: ForkRequest): number {
  const steps = plan.steps.map((step, index) => `${step.name} (${index})`).join(', ');
  if (request.stepName === undefined && request.stepIndex === undefined) throw new InvalidRunRequestError(`Name the step to fork at (step_name or step_index): ${steps}.`);
  const byName = request.stepName === undefined ? undefined : plan.steps.findIndex((step) => step.name === request.stepName);
  if (byName === -1) throw noForkPoint(`The workflow has no step named ${JSON.stringify(request.stepName)}; its steps: ${steps}.`);
  const index = byName ?? request.stepIndex!;
  if (index < 0 || index >= plan.steps.length) throw noForkPoint(`The workflow has no step ${index}; its steps: ${steps}.`);
  if (request.stepIndex !== undefined && request.stepIndex !== index) {
    throw noForkPoint(`step_name ${JSON.stringify(request.stepName)} is step ${index}, not ${request.stepIndex}; its steps: ${steps}.`);
  }
  return index;
}

/** The run has no such place to fork at (a step it did not reach, an iteration its Loop did not run). */
function noForkPoint(message: string): RunConflictError {
  return new RunConflictError('', message);
}
